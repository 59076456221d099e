# desc: router neighbour options: lr0 with always_learn_from_arp_request=false, dynamic_neigh_routers=true and mac_binding_age_threshold=300; lr1 with always_learn_from_arp_request=true and dynamic_neigh_routers=false explicit; both on a shared dual-stack transit switch plus a switch each
ovn-nbctl --wait=sb ls-add sw0
ovn-nbctl --wait=sb ls-add sw1
ovn-nbctl --wait=sb ls-add transit
ovn-nbctl --wait=sb lr-add lr0 -- set logical_router lr0 options:always_learn_from_arp_request=false \
  options:dynamic_neigh_routers=true options:mac_binding_age_threshold=300
ovn-nbctl --wait=sb lr-add lr1 -- set logical_router lr1 options:always_learn_from_arp_request=true \
  options:dynamic_neigh_routers=false
ovn-nbctl lrp-add lr0 lr0-sw0 00:00:00:00:ff:01 10.0.0.1/24
ovn-nbctl lrp-add lr0 lr0-transit 00:00:00:00:ff:02 100.64.0.1/24 fd64::1/64
ovn-nbctl lrp-add lr1 lr1-sw1 00:00:00:00:fe:01 10.0.1.1/24
ovn-nbctl lrp-add lr1 lr1-transit 00:00:00:00:fe:02 100.64.0.2/24 fd64::2/64
ovn-nbctl lsp-add sw0 sw0-lr0 -- lsp-set-type sw0-lr0 router -- lsp-set-addresses sw0-lr0 router \
  -- lsp-set-options sw0-lr0 router-port=lr0-sw0
ovn-nbctl lsp-add sw1 sw1-lr1 -- lsp-set-type sw1-lr1 router -- lsp-set-addresses sw1-lr1 router \
  -- lsp-set-options sw1-lr1 router-port=lr1-sw1
ovn-nbctl lsp-add transit transit-lr0 -- lsp-set-type transit-lr0 router -- lsp-set-addresses transit-lr0 router \
  -- lsp-set-options transit-lr0 router-port=lr0-transit
ovn-nbctl lsp-add transit transit-lr1 -- lsp-set-type transit-lr1 router -- lsp-set-addresses transit-lr1 router \
  -- lsp-set-options transit-lr1 router-port=lr1-transit
ovn-nbctl lsp-add sw0 sw0-p1 -- lsp-set-addresses sw0-p1 "50:54:00:00:00:01 10.0.0.11"
ovn-nbctl lsp-add sw1 sw1-p1 -- lsp-set-addresses sw1-p1 "50:54:00:00:01:01 10.0.1.11"
ovn-nbctl lsp-add transit transit-host -- lsp-set-addresses transit-host "50:54:00:00:64:01 100.64.0.100 fd64::100"
ovn-nbctl lr-route-add lr0 10.0.1.0/24 100.64.0.2
ovn-nbctl lr-route-add lr1 10.0.0.0/24 100.64.0.1
