# desc: two distributed gateway ports on lr0: lr0-public 172.16.0.1/24 (gateway chassis gw1) on localnet switch public and lr0-public2 172.16.1.1/24 (gateway chassis gw2) on localnet switch public2; snat of 10.0.0.0/24 to 172.16.0.100 (first DGP network) and of 10.0.0.0/24 to 172.16.1.100 (second), and a dnat_and_snat 172.16.1.110 <-> 10.0.0.11 with gateway_port explicitly lr0-public2; default route via 172.16.0.254
for c in gw1:10.255.0.1 gw2:10.255.0.2; do
  ovn-sbctl chassis-add ${c%%:*} geneve ${c#*:}
  ovn-sbctl set chassis ${c%%:*} other_config:ct-no-masked-label=true other_config:mac-binding-timestamp=true \
    other_config:port-up-notif=true
done
ovn-nbctl --wait=sb ls-add sw0
ovn-nbctl --wait=sb ls-add public
ovn-nbctl --wait=sb ls-add public2
ovn-nbctl --wait=sb lr-add lr0
ovn-nbctl lrp-add lr0 lr0-sw0 00:00:00:00:ff:01 10.0.0.1/24
ovn-nbctl lrp-add lr0 lr0-public 00:00:00:00:ff:02 172.16.0.1/24
ovn-nbctl lrp-add lr0 lr0-public2 00:00:00:00:ff:03 172.16.1.1/24
ovn-nbctl lrp-set-gateway-chassis lr0-public gw1 20
ovn-nbctl lrp-set-gateway-chassis lr0-public2 gw2 20
ovn-nbctl lsp-add sw0 sw0-lr0 -- lsp-set-type sw0-lr0 router -- lsp-set-addresses sw0-lr0 router \
  -- lsp-set-options sw0-lr0 router-port=lr0-sw0
ovn-nbctl lsp-add public public-lr0 -- lsp-set-type public-lr0 router -- lsp-set-addresses public-lr0 router \
  -- lsp-set-options public-lr0 router-port=lr0-public
ovn-nbctl lsp-add public ln-public -- lsp-set-type ln-public localnet -- lsp-set-addresses ln-public unknown \
  -- lsp-set-options ln-public network_name=physnet1
ovn-nbctl lsp-add public2 public2-lr0 -- lsp-set-type public2-lr0 router -- lsp-set-addresses public2-lr0 router \
  -- lsp-set-options public2-lr0 router-port=lr0-public2
ovn-nbctl lsp-add public2 ln-public2 -- lsp-set-type ln-public2 localnet -- lsp-set-addresses ln-public2 unknown \
  -- lsp-set-options ln-public2 network_name=physnet2
ovn-nbctl lsp-add sw0 sw0-p1 -- lsp-set-addresses sw0-p1 "50:54:00:00:00:01 10.0.0.11"
ovn-nbctl lsp-add sw0 sw0-p2 -- lsp-set-addresses sw0-p2 "50:54:00:00:00:02 10.0.0.12"
ovn-nbctl lr-route-add lr0 0.0.0.0/0 172.16.0.254
ovn-nbctl lr-nat-add lr0 snat 172.16.0.100 10.0.0.0/24
# A second snat of the same logical_ip is one ovn-nbctl refuses; NAT is not a root table, so
# each row is created in the transaction that adds it to the router.
ovn-nbctl -- --id=@n create NAT type=snat external_ip=172.16.1.100 logical_ip=10.0.0.0/24 -- add logical_router lr0 nat @n
gwp2=$(ovn-nbctl get logical_router_port lr0-public2 _uuid)
ovn-nbctl -- --id=@n create NAT type=dnat_and_snat external_ip=172.16.1.110 logical_ip=10.0.0.11 gateway_port=$gwp2 \
  -- add logical_router lr0 nat @n
