# desc: switch LBs: several VIPs per LB (TCP and UDP on the same IP), 1 to 5 backends, v4 and v6
ovn-nbctl ls-add sw0
ovn-nbctl lsp-add sw0 sw0-p1 -- lsp-set-addresses sw0-p1 "50:54:00:00:00:01 10.0.0.11 fd00::11"
ovn-nbctl lsp-add sw0 sw0-p2 -- lsp-set-addresses sw0-p2 "50:54:00:00:00:02 10.0.0.12 fd00::12"
ovn-nbctl lsp-add sw0 sw0-p3 -- lsp-set-addresses sw0-p3 "50:54:00:00:00:03 10.0.0.13 fd00::13"
ovn-nbctl lb-add lb-tcp 10.0.0.100:80 10.0.0.11:80,10.0.0.12:80,10.0.0.13:80,10.0.1.14:80,10.0.1.15:80 tcp
ovn-nbctl --may-exist lb-add lb-tcp 10.0.0.100:443 10.0.0.11:443,10.0.0.12:443 tcp
ovn-nbctl --may-exist lb-add lb-tcp 10.0.0.101:8080 10.0.0.13:8080 tcp
ovn-nbctl lb-add lb-udp 10.0.0.100:80 10.0.0.11:80,10.0.0.12:80 udp
ovn-nbctl --may-exist lb-add lb-udp 10.0.0.102:5353 10.0.0.13:53 udp
ovn-nbctl lb-add lb-tcp6 [fd00::100]:80 [fd00::11]:80,[fd00::12]:80,[fd00::13]:80 tcp
ovn-nbctl ls-lb-add sw0 lb-tcp -- ls-lb-add sw0 lb-udp -- ls-lb-add sw0 lb-tcp6
