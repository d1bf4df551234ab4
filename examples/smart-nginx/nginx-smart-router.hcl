# The seed talk's consul-template configuration, for weft template. Paths are relative to
# the directory weft template runs in; the command runs through sh, so $PWD works.
log_level = "info"

wait {
  min = "5s"
  max = "600s"
}

max_stale = "1m"

template {
  source      = "nginx.conf.tpl"
  destination = "run/nginx-smart-router.conf"
  command     = "nginx -p $PWD/run -c $PWD/nginx.conf -g \"pid $PWD/run/nginx.pid; error_log stderr;\" -s reload"
}
