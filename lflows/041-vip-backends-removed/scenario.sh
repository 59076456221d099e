# desc: unidling: a VIP with backends whose backends are removed later (controller_event=true)
ovn-nbctl ls-add sw0
ovn-nbctl lsp-add sw0 sw0-p1 -- lsp-set-addresses sw0-p1 "50:54:00:00:00:01 10.0.0.11 fd00::11"
ovn-nbctl lsp-add sw0 sw0-p2 -- lsp-set-addresses sw0-p2 "50:54:00:00:00:02 10.0.0.12 fd00::12"
ovn-nbctl lsp-add sw0 sw0-p3 -- lsp-set-addresses sw0-p3 "50:54:00:00:00:03 10.0.0.13 fd00::13"
ovn-nbctl set NB_Global . options:controller_event=true
ovn-nbctl --id=38350663-862f-4aae-94e7-c0149e11d293 create load_balancer name=lb0 protocol=tcp \
  vips:'"10.0.0.100:80"'='"10.0.0.11:80,10.0.0.12:80"'
ovn-nbctl --wait=sb ls-lb-add sw0 lb0
# the service goes idle: the CMS removes the backends, the VIP stays
ovn-nbctl set load_balancer lb0 vips:'"10.0.0.100:80"'='""'
