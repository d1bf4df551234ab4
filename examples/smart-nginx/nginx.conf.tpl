{{- /*
  The "smart NGINX" of the seed talk: one upstream per service tagged "velocity", each
  listing that service's healthy instances, and a location /service/<name>/ for each.
  weft template re-renders this file whenever an instance comes, goes or changes health,
  or the routing key changes, and reloads NGINX.

  config/global/router/prefer-local-routing = 1 sends traffic to instances on this node
  only, keeping the others as backups (used when every local instance is down).
*/ -}}
{{- $local := "" }}{{ with node }}{{ $local = .Node.Node }}{{ end }}
{{- $preferLocal := eq (keyOrDefault "config/global/router/prefer-local-routing" "0") "1" -}}

# Rendered by weft template from nginx.conf.tpl. Do not edit: changes are overwritten.
{{- range services }}{{ if .Tags | contains "velocity" }}{{ with service .Name }}
{{- $hasLocal := false }}{{ range . }}{{ if eq .Node $local }}{{ $hasLocal = true }}{{ end }}{{ end }}

upstream {{ (index . 0).Name }} {
{{- range . }}
  server {{ .Address }}:{{ .Port }}{{ if and $preferLocal $hasLocal (ne .Node $local) }} backup{{ end }};  # {{ .ID }} on {{ .Node }}
{{- end }}
}
{{- end }}{{ end }}{{ end }}

server {
  listen 127.0.0.1:{{ envOrDefault "ROUTER_PORT" "5050" }};
{{- range services }}{{ if .Tags | contains "velocity" }}{{ if service .Name }}

  location /service/{{ .Name }}/ {
    proxy_pass http://{{ .Name }}/;
  }
{{- end }}{{ end }}{{ end }}

  location / {
    return 404 "no such service\n";
  }
}
