service {
  name = "greeter"
  port = 9443

  # A native service speaks mutual TLS itself; /v1/health/connect/greeter lists it directly.
  connect {
    native = true
  }

  check {
    name     = "greeter listening"
    tcp      = "127.0.0.1:9443"
    interval = "1s"
  }
}
