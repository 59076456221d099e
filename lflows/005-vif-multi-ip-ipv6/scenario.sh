# desc: several IPv4/IPv6 addresses per port, IPv6-only port, two address entries on one port, CIDR forms
ovn-nbctl ls-add sw0
ovn-nbctl lsp-add sw0 sw0-p1 -- lsp-set-addresses sw0-p1 "50:54:00:00:00:01 10.0.0.11 10.0.0.111 fd00::11 fd00::111"
ovn-nbctl lsp-add sw0 sw0-p2 -- lsp-set-addresses sw0-p2 "50:54:00:00:00:02 fd00::12"
ovn-nbctl lsp-add sw0 sw0-p3 -- lsp-set-addresses sw0-p3 "50:54:00:00:00:03 10.0.0.13" "50:54:00:00:00:33 10.0.0.33 fd00::33"
ovn-nbctl lsp-add sw0 sw0-p4 -- lsp-set-addresses sw0-p4 "50:54:00:00:00:04 10.0.0.14/24 fd00::14/64"
