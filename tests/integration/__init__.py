"""End-to-end suites: the generated clients and the stream against the fake Coder (tests/fakecoder) and
purpose-built servers, all on loopback."""
