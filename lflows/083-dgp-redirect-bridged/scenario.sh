# desc: DGP lr0-public (gateway chassis gw1 20, gw2 10) with redirect-type=bridged on a localnet public switch; lr0-vlan with options:reside-on-redirect-chassis=true towards a VLAN provider switch (localnet tag 100); an overlay switch sw0 beside them
for c in gw1:10.255.0.1 gw2:10.255.0.2; do
  ovn-sbctl chassis-add ${c%%:*} geneve ${c#*:}
  ovn-sbctl set chassis ${c%%:*} other_config:ct-no-masked-label=true other_config:mac-binding-timestamp=true \
    other_config:port-up-notif=true
done
ovn-nbctl --wait=sb ls-add sw0
ovn-nbctl --wait=sb ls-add vlan100
ovn-nbctl --wait=sb ls-add public
ovn-nbctl --wait=sb lr-add lr0
ovn-nbctl lrp-add lr0 lr0-sw0 00:00:00:00:ff:01 10.0.0.1/24
ovn-nbctl lrp-add lr0 lr0-vlan 00:00:00:00:ff:02 10.0.100.1/24 -- lrp-set-options lr0-vlan reside-on-redirect-chassis=true
ovn-nbctl lrp-add lr0 lr0-public 00:00:00:00:ff:03 172.16.0.1/24
ovn-nbctl lrp-set-gateway-chassis lr0-public gw1 20
ovn-nbctl lrp-set-gateway-chassis lr0-public gw2 10
ovn-nbctl lrp-set-redirect-type lr0-public bridged
ovn-nbctl lsp-add sw0 sw0-lr0 -- lsp-set-type sw0-lr0 router -- lsp-set-addresses sw0-lr0 router \
  -- lsp-set-options sw0-lr0 router-port=lr0-sw0
ovn-nbctl lsp-add vlan100 vlan100-lr0 -- lsp-set-type vlan100-lr0 router -- lsp-set-addresses vlan100-lr0 router \
  -- lsp-set-options vlan100-lr0 router-port=lr0-vlan
ovn-nbctl lsp-add vlan100 ln-vlan100 -- lsp-set-type ln-vlan100 localnet -- lsp-set-addresses ln-vlan100 unknown \
  -- lsp-set-options ln-vlan100 network_name=physnet1 -- set logical_switch_port ln-vlan100 tag_request=100
ovn-nbctl lsp-add public public-lr0 -- lsp-set-type public-lr0 router -- lsp-set-addresses public-lr0 router \
  -- lsp-set-options public-lr0 router-port=lr0-public
ovn-nbctl lsp-add public ln-public -- lsp-set-type ln-public localnet -- lsp-set-addresses ln-public unknown \
  -- lsp-set-options ln-public network_name=physnet1
ovn-nbctl lsp-add sw0 sw0-p1 -- lsp-set-addresses sw0-p1 "50:54:00:00:00:01 10.0.0.11"
ovn-nbctl lsp-add vlan100 vlan100-p1 -- lsp-set-addresses vlan100-p1 "50:54:00:00:64:01 10.0.100.11"
ovn-nbctl lr-route-add lr0 0.0.0.0/0 172.16.0.254
