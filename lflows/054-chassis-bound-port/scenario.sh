# desc: fake chassis hv1 (geneve 127.0.0.1, 23.03 feature flags) with sw0-p1 bound and up; sw0-p2 unbound; an LB (ct_lb_mark)
ovn-sbctl chassis-add hv1 geneve 127.0.0.1
ovn-sbctl set chassis hv1 other_config:ct-no-masked-label=true other_config:mac-binding-timestamp=true other_config:port-up-notif=true
ovn-nbctl ls-add sw0
ovn-nbctl lsp-add sw0 sw0-p1 -- lsp-set-addresses sw0-p1 "50:54:00:00:00:01 10.0.0.11"
ovn-nbctl lsp-add sw0 sw0-p2 -- lsp-set-addresses sw0-p2 "50:54:00:00:00:02 10.0.0.12"
ovn-nbctl lb-add lb0 10.0.0.100:80 10.0.0.11:80,10.0.0.12:80 tcp -- ls-lb-add sw0 lb0
ovn-nbctl --wait=sb sync
ovn-sbctl lsp-bind sw0-p1 hv1
ovn-sbctl set port_binding sw0-p1 up=true
