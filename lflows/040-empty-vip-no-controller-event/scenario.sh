# desc: empty VIPs without controller_event (plain drop path)
ovn-nbctl ls-add sw0
ovn-nbctl lsp-add sw0 sw0-p1 -- lsp-set-addresses sw0-p1 "50:54:00:00:00:01 10.0.0.11 fd00::11"
ovn-nbctl lsp-add sw0 sw0-p2 -- lsp-set-addresses sw0-p2 "50:54:00:00:00:02 10.0.0.12 fd00::12"
ovn-nbctl lsp-add sw0 sw0-p3 -- lsp-set-addresses sw0-p3 "50:54:00:00:00:03 10.0.0.13 fd00::13"
ovn-nbctl --id=9d6542eb-6533-4d3c-b0a5-4e54826968b6 create load_balancer name=lb0 protocol=tcp \
  vips:'"10.0.0.100:80"'='""' vips:'"[fd00::100]:80"'='""' \
  vips:'"10.0.0.101:80"'='"10.0.0.11:80,10.0.0.12:80"'
ovn-nbctl --id=9d6542eb-6533-4d3c-b0a5-4e54826968b7 create load_balancer name=lb0-udp protocol=udp \
  vips:'"10.0.0.100:53"'='""'
ovn-nbctl --id=9d6542eb-6533-4d3c-b0a5-4e54826968b8 create load_balancer name=lb0-sctp protocol=sctp \
  vips:'"10.0.0.100:3868"'='""'
ovn-nbctl ls-lb-add sw0 lb0 -- ls-lb-add sw0 lb0-udp -- ls-lb-add sw0 lb0-sctp
