# desc: port_security with IPv4: single address, address plus subnet, two entries on one port
ovn-nbctl ls-add sw0
ovn-nbctl lsp-add sw0 sw0-p1 -- lsp-set-addresses sw0-p1 "50:54:00:00:00:01 10.0.0.11" -- lsp-set-port-security sw0-p1 "50:54:00:00:00:01 10.0.0.11"
ovn-nbctl lsp-add sw0 sw0-p2 -- lsp-set-addresses sw0-p2 "50:54:00:00:00:02 10.0.0.12" -- lsp-set-port-security sw0-p2 "50:54:00:00:00:02 10.0.0.12 10.0.5.0/24"
ovn-nbctl lsp-add sw0 sw0-p3 -- lsp-set-addresses sw0-p3 "50:54:00:00:00:03 10.0.0.13" "50:54:00:00:00:33 10.0.0.33" \
  -- lsp-set-port-security sw0-p3 "50:54:00:00:00:03 10.0.0.13" "50:54:00:00:00:33 10.0.0.33"
