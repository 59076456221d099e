# desc: NB Static_MAC_Bindings on lr0's ports (static-mac-binding-add): IPv4 and IPv6 neighbours on the external LRP, one with override_dynamic_mac=true, one on the internal LRP -> SB Static_MAC_Binding rows
ovn-nbctl --wait=sb ls-add sw0
ovn-nbctl --wait=sb ls-add ext
ovn-nbctl --wait=sb lr-add lr0
ovn-nbctl lrp-add lr0 lr0-sw0 00:00:00:00:ff:01 10.0.0.1/24
ovn-nbctl lrp-add lr0 lr0-ext 00:00:00:00:ff:02 172.16.0.1/24 fd10::1/64
ovn-nbctl lsp-add sw0 sw0-lr0 -- lsp-set-type sw0-lr0 router -- lsp-set-addresses sw0-lr0 router \
  -- lsp-set-options sw0-lr0 router-port=lr0-sw0
ovn-nbctl lsp-add ext ext-lr0 -- lsp-set-type ext-lr0 router -- lsp-set-addresses ext-lr0 router \
  -- lsp-set-options ext-lr0 router-port=lr0-ext
ovn-nbctl lsp-add sw0 sw0-p1 -- lsp-set-addresses sw0-p1 "50:54:00:00:00:01 10.0.0.11"
ovn-nbctl lsp-add ext ext-rtr1 -- lsp-set-addresses ext-rtr1 unknown
ovn-nbctl lr-route-add lr0 0.0.0.0/0 172.16.0.254
ovn-nbctl lr-route-add lr0 ::/0 fd10::254
ovn-nbctl static-mac-binding-add lr0-ext 172.16.0.254 00:00:00:00:aa:01
ovn-nbctl static-mac-binding-add lr0-ext fd10::254 00:00:00:00:aa:01
ovn-nbctl static-mac-binding-add lr0-ext 172.16.0.253 00:00:00:00:aa:02
ovn-nbctl set static_mac_binding $(ovn-nbctl --bare --columns=_uuid find static_mac_binding ip=172.16.0.253) \
  override_dynamic_mac=true
ovn-nbctl static-mac-binding-add lr0-sw0 10.0.0.200 50:54:00:00:00:c8
