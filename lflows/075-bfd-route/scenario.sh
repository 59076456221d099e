# desc: BFD on lr0 (DGP lr0-public, gateway chassis gw1): `--bfd lr-route-add` creating the NB BFD row from nexthop+port, a BFD row created by hand (min_tx/min_rx/detect_mult) linked with --bfd=<uuid>, a static route without BFD; SB BFD rows
ovn-sbctl chassis-add gw1 geneve 10.255.0.1
ovn-sbctl set chassis gw1 other_config:ct-no-masked-label=true other_config:mac-binding-timestamp=true other_config:port-up-notif=true
ovn-nbctl --wait=sb ls-add sw0
ovn-nbctl --wait=sb ls-add public
ovn-nbctl --wait=sb lr-add lr0
ovn-nbctl lrp-add lr0 lr0-sw0 00:00:00:00:ff:01 10.0.0.1/24
ovn-nbctl lrp-add lr0 lr0-public 00:00:00:00:ff:02 172.16.0.1/24
ovn-nbctl lrp-set-gateway-chassis lr0-public gw1 10
ovn-nbctl lsp-add sw0 sw0-lr0 -- lsp-set-type sw0-lr0 router -- lsp-set-addresses sw0-lr0 router \
  -- lsp-set-options sw0-lr0 router-port=lr0-sw0
ovn-nbctl lsp-add public public-lr0 -- lsp-set-type public-lr0 router -- lsp-set-addresses public-lr0 router \
  -- lsp-set-options public-lr0 router-port=lr0-public
ovn-nbctl lsp-add public ln-public -- lsp-set-type ln-public localnet -- lsp-set-addresses ln-public unknown \
  -- lsp-set-options ln-public network_name=physnet1
ovn-nbctl lsp-add sw0 sw0-p1 -- lsp-set-addresses sw0-p1 "50:54:00:00:00:01 10.0.0.11"
ovn-nbctl --bfd lr-route-add lr0 192.168.10.0/24 172.16.0.254 lr0-public
bfd=$(ovn-nbctl create bfd logical_port=lr0-public dst_ip=172.16.0.253 min_tx=500 min_rx=500 detect_mult=4)
ovn-nbctl --bfd=$bfd lr-route-add lr0 192.168.20.0/24 172.16.0.253 lr0-public
ovn-nbctl lr-route-add lr0 0.0.0.0/0 172.16.0.254
