"""Test helpers shared by the suites: small purpose-built loopback servers."""
