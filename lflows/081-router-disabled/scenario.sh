# desc: administrative state: lr0 with an enabled LRP, an LRP set disabled (lrp-set-enabled ... disabled) and one with enabled=true explicit; router lr1 with enabled=false and its switch sw3 (northd skips the disabled router: sw3's router-type LSP has no peer datapath)
ovn-nbctl --wait=sb ls-add sw0
ovn-nbctl --wait=sb ls-add sw1
ovn-nbctl --wait=sb ls-add sw2
ovn-nbctl --wait=sb ls-add sw3
ovn-nbctl --wait=sb lr-add lr0
ovn-nbctl --wait=sb lr-add lr1 -- set logical_router lr1 enabled=false
ovn-nbctl lrp-add lr0 lr0-sw0 00:00:00:00:ff:01 10.0.0.1/24
ovn-nbctl lrp-add lr0 lr0-sw1 00:00:00:00:ff:02 10.0.1.1/24 fd00:0:0:1::1/64
ovn-nbctl lrp-set-enabled lr0-sw1 disabled
ovn-nbctl lrp-add lr0 lr0-sw2 00:00:00:00:ff:03 10.0.2.1/24 -- set logical_router_port lr0-sw2 enabled=true
ovn-nbctl lrp-add lr1 lr1-sw3 00:00:00:00:fe:01 10.0.3.1/24
for s in 0 1 2; do
  ovn-nbctl lsp-add sw$s sw$s-lr0 -- lsp-set-type sw$s-lr0 router -- lsp-set-addresses sw$s-lr0 router \
    -- lsp-set-options sw$s-lr0 router-port=lr0-sw$s
done
ovn-nbctl lsp-add sw3 sw3-lr1 -- lsp-set-type sw3-lr1 router -- lsp-set-addresses sw3-lr1 router \
  -- lsp-set-options sw3-lr1 router-port=lr1-sw3
ovn-nbctl lsp-add sw0 sw0-p1 -- lsp-set-addresses sw0-p1 "50:54:00:00:00:01 10.0.0.11"
ovn-nbctl lsp-add sw1 sw1-p1 -- lsp-set-addresses sw1-p1 "50:54:00:00:01:01 10.0.1.11 fd00:0:0:1::11"
ovn-nbctl lsp-add sw2 sw2-p1 -- lsp-set-addresses sw2-p1 "50:54:00:00:02:01 10.0.2.11"
ovn-nbctl lsp-add sw3 sw3-p1 -- lsp-set-addresses sw3-p1 "50:54:00:00:03:01 10.0.3.11"
ovn-nbctl lr-route-add lr0 192.168.1.0/24 10.0.1.254
ovn-nbctl lr-route-add lr0 192.168.2.0/24 10.0.2.254
