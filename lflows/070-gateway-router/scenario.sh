# desc: gateway router gr0 (options:chassis=gw1) on a join switch (100.64.0.0/16) and an external switch with a localnet port (physnet1); distributed router lr0 with sw0 behind it; routes: gr0 -> 10.0.0.0/24 via the join, gr0 default via the external gateway, lr0 default via gr0
ovn-sbctl chassis-add gw1 geneve 10.255.0.1
ovn-sbctl set chassis gw1 other_config:ct-no-masked-label=true other_config:mac-binding-timestamp=true other_config:port-up-notif=true
ovn-nbctl --wait=sb ls-add sw0
ovn-nbctl --wait=sb ls-add join
ovn-nbctl --wait=sb ls-add ext
ovn-nbctl --wait=sb lr-add lr0
ovn-nbctl --wait=sb lr-add gr0 -- set logical_router gr0 options:chassis=gw1
ovn-nbctl lrp-add lr0 lr0-sw0 00:00:00:00:ff:01 10.0.0.1/24
ovn-nbctl lrp-add lr0 lr0-join 00:00:00:00:ff:02 100.64.0.1/16
ovn-nbctl lrp-add gr0 gr0-join 00:00:00:00:fe:01 100.64.0.2/16
ovn-nbctl lrp-add gr0 gr0-ext 00:00:00:00:fe:02 172.16.0.2/24
ovn-nbctl lsp-add sw0 sw0-lr0 -- lsp-set-type sw0-lr0 router -- lsp-set-addresses sw0-lr0 router \
  -- lsp-set-options sw0-lr0 router-port=lr0-sw0
ovn-nbctl lsp-add join join-lr0 -- lsp-set-type join-lr0 router -- lsp-set-addresses join-lr0 router \
  -- lsp-set-options join-lr0 router-port=lr0-join
ovn-nbctl lsp-add join join-gr0 -- lsp-set-type join-gr0 router -- lsp-set-addresses join-gr0 router \
  -- lsp-set-options join-gr0 router-port=gr0-join
ovn-nbctl lsp-add ext ext-gr0 -- lsp-set-type ext-gr0 router -- lsp-set-addresses ext-gr0 router \
  -- lsp-set-options ext-gr0 router-port=gr0-ext
ovn-nbctl lsp-add ext ln-ext -- lsp-set-type ln-ext localnet -- lsp-set-addresses ln-ext unknown \
  -- lsp-set-options ln-ext network_name=physnet1
ovn-nbctl lsp-add sw0 sw0-p1 -- lsp-set-addresses sw0-p1 "50:54:00:00:00:01 10.0.0.11"
ovn-nbctl lsp-add sw0 sw0-p2 -- lsp-set-addresses sw0-p2 "50:54:00:00:00:02 10.0.0.12"
ovn-nbctl lr-route-add gr0 10.0.0.0/24 100.64.0.1
ovn-nbctl lr-route-add gr0 0.0.0.0/0 172.16.0.254 gr0-ext
ovn-nbctl lr-route-add lr0 0.0.0.0/0 100.64.0.2
