# desc: switch LB: IPv6 VIPs with and without port
ovn-nbctl ls-add sw0
ovn-nbctl lsp-add sw0 sw0-p1 -- lsp-set-addresses sw0-p1 "50:54:00:00:00:01 10.0.0.11 fd00::11"
ovn-nbctl lsp-add sw0 sw0-p2 -- lsp-set-addresses sw0-p2 "50:54:00:00:00:02 10.0.0.12 fd00::12"
ovn-nbctl lsp-add sw0 sw0-p3 -- lsp-set-addresses sw0-p3 "50:54:00:00:00:03 10.0.0.13 fd00::13"
ovn-nbctl lb-add lb6 [fd00::100]:80 [fd00::11]:8080,[fd00::12]:8080 tcp
ovn-nbctl lb-add lb6-noport fd00::101 fd00::12,fd00::13
ovn-nbctl ls-lb-add sw0 lb6 -- ls-lb-add sw0 lb6-noport
