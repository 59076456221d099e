# desc: distributed router lr0 with a distributed gateway port lr0-public (gateway chassis gw1 20) on a localnet public switch, no NAT; LB 172.16.0.200:80 -> 10.0.0.11:8080,10.0.0.12:8080 with options:hairpin_snat_ip=169.254.0.1 attached to lr0 only
for c in gw1:10.255.0.1; do
  ovn-sbctl chassis-add ${c%%:*} geneve ${c#*:}
  ovn-sbctl set chassis ${c%%:*} other_config:ct-no-masked-label=true other_config:mac-binding-timestamp=true \
    other_config:port-up-notif=true
done
ovn-nbctl --wait=sb ls-add sw0
ovn-nbctl --wait=sb ls-add public
ovn-nbctl --wait=sb lr-add lr0
ovn-nbctl lrp-add lr0 lr0-sw0 00:00:00:00:ff:01 10.0.0.1/24
ovn-nbctl lrp-add lr0 lr0-public 00:00:00:00:ff:02 172.16.0.1/24
ovn-nbctl lrp-set-gateway-chassis lr0-public gw1 20
ovn-nbctl lsp-add sw0 sw0-lr0 -- lsp-set-type sw0-lr0 router -- lsp-set-addresses sw0-lr0 router \
  -- lsp-set-options sw0-lr0 router-port=lr0-sw0
ovn-nbctl lsp-add public public-lr0 -- lsp-set-type public-lr0 router -- lsp-set-addresses public-lr0 router \
  -- lsp-set-options public-lr0 router-port=lr0-public
ovn-nbctl lsp-add public ln-public -- lsp-set-type ln-public localnet -- lsp-set-addresses ln-public unknown \
  -- lsp-set-options ln-public network_name=physnet1
ovn-nbctl lsp-add sw0 sw0-p1 -- lsp-set-addresses sw0-p1 "50:54:00:00:00:01 10.0.0.11"
ovn-nbctl lsp-add sw0 sw0-p2 -- lsp-set-addresses sw0-p2 "50:54:00:00:00:02 10.0.0.12"
ovn-nbctl lr-route-add lr0 0.0.0.0/0 172.16.0.254
ovn-nbctl lb-add lb0 172.16.0.200:80 10.0.0.11:8080,10.0.0.12:8080 tcp
ovn-nbctl set load_balancer lb0 options:hairpin_snat_ip=169.254.0.1
ovn-nbctl lr-lb-add lr0 lb0
