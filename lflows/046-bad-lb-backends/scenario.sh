# desc: bad input: malformed LB backend lists (garbage entry, missing port, v6 backend for v4 VIP, trailing comma) beside a good VIP
ovn-nbctl ls-add sw0
ovn-nbctl lsp-add sw0 sw0-p1 -- lsp-set-addresses sw0-p1 "50:54:00:00:00:01 10.0.0.11 fd00::11"
ovn-nbctl lsp-add sw0 sw0-p2 -- lsp-set-addresses sw0-p2 "50:54:00:00:00:02 10.0.0.12 fd00::12"
ovn-nbctl --id=0b0e5a1c-0000-4000-8000-000000000002 create load_balancer name=lb-bad-backends protocol=tcp \
  vips:'"10.0.0.100:80"'='"10.0.0.11:80,bogus"' \
  vips:'"10.0.0.101:80"'='"10.0.0.11,10.0.0.12"' \
  vips:'"10.0.0.102:80"'='"[fd00::11]:80"' \
  vips:'"10.0.0.103:80"'='"10.0.0.11:80,"' \
  vips:'"10.0.0.104:80"'='"10.0.0.11:80, 10.0.0.12:80"' \
  vips:'"10.0.0.105:80"'='"10.0.0.11:80,10.0.0.12:80"'
ovn-nbctl ls-lb-add sw0 lb-bad-backends
