# desc: NB_Global options mac_prefix and svc_monitor_mac set by the CMS (ovn-kubernetes style); IPAM uses the prefix
ovn-nbctl set NB_Global . options:mac_prefix=0a:58:0a options:svc_monitor_mac=0a:58:0a:ff:ff:fe
ovn-nbctl ls-add sw0 -- set logical_switch sw0 other_config:subnet=10.244.0.0/24
ovn-nbctl --wait=sb lsp-add sw0 sw0-p1 -- lsp-set-addresses sw0-p1 dynamic
ovn-nbctl --wait=sb lsp-add sw0 sw0-p2 -- lsp-set-addresses sw0-p2 dynamic
ovn-nbctl lsp-add sw0 sw0-p3 -- lsp-set-addresses sw0-p3 "0a:58:0a:f4:00:10 10.244.0.16"
