# desc: switch LB: SCTP VIP
ovn-nbctl ls-add sw0
ovn-nbctl lsp-add sw0 sw0-p1 -- lsp-set-addresses sw0-p1 "50:54:00:00:00:01 10.0.0.11 fd00::11"
ovn-nbctl lsp-add sw0 sw0-p2 -- lsp-set-addresses sw0-p2 "50:54:00:00:00:02 10.0.0.12 fd00::12"
ovn-nbctl lsp-add sw0 sw0-p3 -- lsp-set-addresses sw0-p3 "50:54:00:00:00:03 10.0.0.13 fd00::13"
ovn-nbctl lb-add lb-sctp 10.0.0.100:3868 10.0.0.11:3868,10.0.0.12:3868 sctp
ovn-nbctl ls-lb-add sw0 lb-sctp
