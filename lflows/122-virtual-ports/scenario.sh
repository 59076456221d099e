# desc: virtual ports on sw0 (router lr0, dual-stack): sw0-vip1 (10.0.0.100, addresses set, parents sw0-p1,sw0-p2 plus a parent on sw1 and a missing one, which get no flows) claimed by sw0-p1 on hv1 (SB virtual_parent + chassis, as ovn-controller's bind_vport); sw0-vip2 (10.0.0.101, no addresses) and IPv6 sw0-vip6 (fd00::100) unclaimed; sw0-vip7 with virtual_parent set but no chassis; sw0-vipx without virtual-parents; sw0-vipo outside the router's subnets
ovn-sbctl chassis-add hv1 geneve 127.0.0.1
ovn-sbctl set chassis hv1 other_config:ct-no-masked-label=true other_config:mac-binding-timestamp=true \
  other_config:port-up-notif=true
ovn-nbctl ls-add sw0
ovn-nbctl ls-add sw1
ovn-nbctl lr-add lr0
ovn-nbctl lrp-add lr0 lr0-sw0 00:00:00:00:ff:01 10.0.0.1/24 fd00::1/64
ovn-nbctl lrp-add lr0 lr0-sw1 00:00:00:00:ff:02 10.0.1.1/24
ovn-nbctl lsp-add sw0 sw0-lr0 -- lsp-set-type sw0-lr0 router -- lsp-set-addresses sw0-lr0 router \
  -- lsp-set-options sw0-lr0 router-port=lr0-sw0
ovn-nbctl lsp-add sw1 sw1-lr0 -- lsp-set-type sw1-lr0 router -- lsp-set-addresses sw1-lr0 router \
  -- lsp-set-options sw1-lr0 router-port=lr0-sw1
ovn-nbctl lsp-add sw0 sw0-p1 -- lsp-set-addresses sw0-p1 "50:54:00:00:00:01 10.0.0.11 fd00::11"
ovn-nbctl lsp-add sw0 sw0-p2 -- lsp-set-addresses sw0-p2 "50:54:00:00:00:02 10.0.0.12 fd00::12"
ovn-nbctl lsp-add sw0 sw0-p3 -- lsp-set-addresses sw0-p3 "50:54:00:00:00:03 10.0.0.13 fd00::13"
ovn-nbctl lsp-add sw1 sw1-p1 -- lsp-set-addresses sw1-p1 "50:54:00:00:01:01 10.0.1.11"

ovn-nbctl lsp-add sw0 sw0-vip1 -- lsp-set-type sw0-vip1 virtual \
  -- lsp-set-addresses sw0-vip1 "50:54:00:00:00:64 10.0.0.100" \
  -- lsp-set-options sw0-vip1 virtual-ip=10.0.0.100 virtual-parents=sw0-p1,sw0-p2,sw1-p1,nosuch
ovn-nbctl lsp-add sw0 sw0-vip2 -- lsp-set-type sw0-vip2 virtual \
  -- lsp-set-options sw0-vip2 virtual-ip=10.0.0.101 virtual-parents=sw0-p2,sw0-p3
ovn-nbctl lsp-add sw0 sw0-vip6 -- lsp-set-type sw0-vip6 virtual \
  -- lsp-set-options sw0-vip6 virtual-ip=fd00::100 virtual-parents=sw0-p1,sw0-p3
ovn-nbctl lsp-add sw0 sw0-vip7 -- lsp-set-type sw0-vip7 virtual \
  -- lsp-set-options sw0-vip7 virtual-ip=10.0.0.107 virtual-parents=sw0-p3
ovn-nbctl lsp-add sw0 sw0-vipx -- lsp-set-type sw0-vipx virtual \
  -- lsp-set-options sw0-vipx virtual-ip=10.0.0.102
ovn-nbctl lsp-add sw0 sw0-vipo -- lsp-set-type sw0-vipo virtual \
  -- lsp-set-options sw0-vipo virtual-ip=192.168.5.5 virtual-parents=sw0-p1
ovn-nbctl --wait=sb sync

# parents bound and up on hv1; ovn-controller claims sw0-vip1 for sw0-p1 (bind_vport):
# chassis and virtual_parent on the virtual port's Port_Binding
ovn-sbctl lsp-bind sw0-p1 hv1 -- lsp-bind sw0-p2 hv1 -- lsp-bind sw0-p3 hv1
ovn-sbctl set port_binding sw0-p1 up=true -- set port_binding sw0-p2 up=true -- set port_binding sw0-p3 up=true
ovn-sbctl lsp-bind sw0-vip1 hv1 -- set port_binding sw0-vip1 virtual_parent=sw0-p1 up=true
# half-claimed: virtual_parent without chassis (treated as not claimed)
ovn-sbctl set port_binding sw0-vip7 virtual_parent=sw0-p3
ovn-nbctl --wait=sb sync
