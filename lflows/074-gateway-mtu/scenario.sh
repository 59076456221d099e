# desc: options:gateway_mtu=1400 on a distributed gateway port (gateway chassis gw1, dual-stack) with gateway_mtu_bypass for TCP SYN/UDP; gateway router gr0 (options:chassis=gw1) with gateway_mtu=1300 on its external port only
ovn-sbctl chassis-add gw1 geneve 10.255.0.1
ovn-sbctl set chassis gw1 other_config:ct-no-masked-label=true other_config:mac-binding-timestamp=true other_config:port-up-notif=true
ovn-nbctl --wait=sb ls-add sw0
ovn-nbctl --wait=sb ls-add public
ovn-nbctl --wait=sb ls-add sw1
ovn-nbctl --wait=sb lr-add lr0
ovn-nbctl --wait=sb lr-add gr0 -- set logical_router gr0 options:chassis=gw1
ovn-nbctl lrp-add lr0 lr0-sw0 00:00:00:00:ff:01 10.0.0.1/24 fd00::1/64
ovn-nbctl lrp-add lr0 lr0-public 00:00:00:00:ff:02 172.16.0.1/24 fd10::1/64 \
  -- lrp-set-options lr0-public gateway_mtu=1400 'gateway_mtu_bypass=tcp.flags.syn == 1 || udp'
ovn-nbctl lrp-set-gateway-chassis lr0-public gw1 10
ovn-nbctl lrp-add gr0 gr0-sw1 00:00:00:00:fe:01 10.0.1.1/24
ovn-nbctl lrp-add gr0 gr0-public 00:00:00:00:fe:02 172.16.0.2/24 -- lrp-set-options gr0-public gateway_mtu=1300
ovn-nbctl lsp-add sw0 sw0-lr0 -- lsp-set-type sw0-lr0 router -- lsp-set-addresses sw0-lr0 router \
  -- lsp-set-options sw0-lr0 router-port=lr0-sw0
ovn-nbctl lsp-add public public-lr0 -- lsp-set-type public-lr0 router -- lsp-set-addresses public-lr0 router \
  -- lsp-set-options public-lr0 router-port=lr0-public
ovn-nbctl lsp-add public public-gr0 -- lsp-set-type public-gr0 router -- lsp-set-addresses public-gr0 router \
  -- lsp-set-options public-gr0 router-port=gr0-public
ovn-nbctl lsp-add public ln-public -- lsp-set-type ln-public localnet -- lsp-set-addresses ln-public unknown \
  -- lsp-set-options ln-public network_name=physnet1
ovn-nbctl lsp-add sw1 sw1-gr0 -- lsp-set-type sw1-gr0 router -- lsp-set-addresses sw1-gr0 router \
  -- lsp-set-options sw1-gr0 router-port=gr0-sw1
ovn-nbctl lsp-add sw0 sw0-p1 -- lsp-set-addresses sw0-p1 "50:54:00:00:00:01 10.0.0.11 fd00::11"
ovn-nbctl lsp-add sw1 sw1-p1 -- lsp-set-addresses sw1-p1 "50:54:00:00:01:01 10.0.1.11"
ovn-nbctl lr-route-add lr0 0.0.0.0/0 172.16.0.254
ovn-nbctl lr-route-add lr0 ::/0 fd10::254
ovn-nbctl lr-route-add gr0 0.0.0.0/0 172.16.0.254
