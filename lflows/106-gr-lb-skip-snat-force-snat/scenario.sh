# desc: gateway router gr0 with options:lb_force_snat_ip=router_ip; LB 172.16.0.200:80 with options:skip_snat=true and LB 172.16.0.201:80 without it, both attached to gr0 only
ovn-sbctl chassis-add gw1 geneve 127.0.0.1
ovn-sbctl set chassis gw1 other_config:ct-no-masked-label=true other_config:mac-binding-timestamp=true \
  other_config:port-up-notif=true
ovn-nbctl --wait=sb ls-add sw0
ovn-nbctl --wait=sb ls-add public
ovn-nbctl --wait=sb lr-add gr0 -- set logical_router gr0 options:chassis=gw1
ovn-nbctl lrp-add gr0 gr0-sw0 00:00:00:00:fe:01 10.0.0.1/24
ovn-nbctl lrp-add gr0 gr0-public 00:00:00:00:fe:02 172.16.0.2/24
ovn-nbctl lsp-add sw0 sw0-gr0 -- lsp-set-type sw0-gr0 router -- lsp-set-addresses sw0-gr0 router \
  -- lsp-set-options sw0-gr0 router-port=gr0-sw0
ovn-nbctl lsp-add public public-gr0 -- lsp-set-type public-gr0 router -- lsp-set-addresses public-gr0 router \
  -- lsp-set-options public-gr0 router-port=gr0-public
ovn-nbctl lsp-add public ln-public -- lsp-set-type ln-public localnet -- lsp-set-addresses ln-public unknown \
  -- lsp-set-options ln-public network_name=physnet1
ovn-nbctl lsp-add sw0 sw0-p1 -- lsp-set-addresses sw0-p1 "50:54:00:00:00:01 10.0.0.11"
ovn-nbctl lsp-add sw0 sw0-p2 -- lsp-set-addresses sw0-p2 "50:54:00:00:00:02 10.0.0.12"
ovn-nbctl set logical_router gr0 options:lb_force_snat_ip=router_ip
ovn-nbctl lb-add lb-skip 172.16.0.200:80 10.0.0.11:8080,10.0.0.12:8080 tcp
ovn-nbctl set load_balancer lb-skip options:skip_snat=true
ovn-nbctl lb-add lb-plain 172.16.0.201:80 10.0.0.11:8080,10.0.0.12:8080 tcp
ovn-nbctl lr-lb-add gr0 lb-skip -- lr-lb-add gr0 lb-plain
