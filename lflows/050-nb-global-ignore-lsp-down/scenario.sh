# desc: NB_Global ignore_lsp_down=false: ARP/ND responders only for ports that are up (one bound+up, one down, one router port)
ovn-sbctl chassis-add hv1 geneve 127.0.0.1
ovn-sbctl set chassis hv1 other_config:ct-no-masked-label=true other_config:mac-binding-timestamp=true other_config:port-up-notif=true
ovn-nbctl set NB_Global . options:ignore_lsp_down=false
ovn-nbctl ls-add sw0
ovn-nbctl lsp-add sw0 sw0-p1 -- lsp-set-addresses sw0-p1 "50:54:00:00:00:01 10.0.0.11 fd00::11"
ovn-nbctl lsp-add sw0 sw0-p2 -- lsp-set-addresses sw0-p2 "50:54:00:00:00:02 10.0.0.12 fd00::12"
ovn-nbctl lr-add lr0 -- lrp-add lr0 lr0-sw0 00:00:00:00:ff:01 10.0.0.1/24
ovn-nbctl lsp-add sw0 sw0-lr0 -- lsp-set-type sw0-lr0 router -- lsp-set-addresses sw0-lr0 router \
  -- lsp-set-options sw0-lr0 router-port=lr0-sw0
ovn-nbctl --wait=sb sync
ovn-sbctl lsp-bind sw0-p1 hv1 -- set port_binding sw0-p1 up=true
