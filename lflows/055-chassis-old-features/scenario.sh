# desc: fake chassis without feature flags in other_config (older ovn-controller): ct_lb instead of ct_lb_mark, bound port
ovn-sbctl chassis-add hv-old geneve 127.0.0.1
ovn-nbctl ls-add sw0
ovn-nbctl lsp-add sw0 sw0-p1 -- lsp-set-addresses sw0-p1 "50:54:00:00:00:01 10.0.0.11"
ovn-nbctl lsp-add sw0 sw0-p2 -- lsp-set-addresses sw0-p2 "50:54:00:00:00:02 10.0.0.12"
ovn-nbctl lb-add lb0 10.0.0.100:80 10.0.0.11:80,10.0.0.12:80 tcp -- ls-lb-add sw0 lb0
ovn-nbctl --wait=sb sync
ovn-sbctl lsp-bind sw0-p1 hv-old
