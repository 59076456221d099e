# desc: port_security with IPv6: IPv6 only, dual stack with an IPv6 prefix
ovn-nbctl ls-add sw0
ovn-nbctl lsp-add sw0 sw0-p1 -- lsp-set-addresses sw0-p1 "50:54:00:00:00:01 fd00::11" -- lsp-set-port-security sw0-p1 "50:54:00:00:00:01 fd00::11"
ovn-nbctl lsp-add sw0 sw0-p2 -- lsp-set-addresses sw0-p2 "50:54:00:00:00:02 10.0.0.12 fd00::12" \
  -- lsp-set-port-security sw0-p2 "50:54:00:00:00:02 10.0.0.12 fd00::12 fd00:1::/64"
