# desc: LB reject=true together with NB_Global controller_event=true: reject wins, no trigger_event for that VIP; a plain empty VIP beside it gets one
ovn-nbctl ls-add sw0
ovn-nbctl lsp-add sw0 sw0-p1 -- lsp-set-addresses sw0-p1 "50:54:00:00:00:01 10.0.0.11 fd00::11"
ovn-nbctl lsp-add sw0 sw0-p2 -- lsp-set-addresses sw0-p2 "50:54:00:00:00:02 10.0.0.12 fd00::12"
ovn-nbctl lsp-add sw0 sw0-p3 -- lsp-set-addresses sw0-p3 "50:54:00:00:00:03 10.0.0.13 fd00::13"
ovn-nbctl set NB_Global . options:controller_event=true
ovn-nbctl --id=6b2cc7b8-5d55-4a0b-9ac8-2e62a5fb0a11 create load_balancer name=lb-rej protocol=tcp options:reject=true \
  vips:'"10.0.0.100:80"'='""'
ovn-nbctl --id=6b2cc7b8-5d55-4a0b-9ac8-2e62a5fb0a12 create load_balancer name=lb-event protocol=tcp \
  vips:'"10.0.0.101:80"'='""'
ovn-nbctl ls-lb-add sw0 lb-rej -- ls-lb-add sw0 lb-event
