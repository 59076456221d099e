# desc: two gateway routers gr1 (chassis gw1) and gr2 (chassis gw2) on a shared join switch (100.64.0.0/16, router-type LSPs) each with its own localnet public switch; gr1 snats 10.0.0.0/24 -> 172.16.1.100, gr2 snats 10.0.1.0/24 -> 172.16.2.100, each with a static route to its subnet via lr0; distributed router lr0 (no NAT) with sw0, sw1 and src-ip routes to the gateway routers
for c in gw1:10.255.0.1 gw2:10.255.0.2; do
  ovn-sbctl chassis-add ${c%%:*} geneve ${c#*:}
  ovn-sbctl set chassis ${c%%:*} other_config:ct-no-masked-label=true other_config:mac-binding-timestamp=true \
    other_config:port-up-notif=true
done
ovn-nbctl --wait=sb ls-add sw0
ovn-nbctl --wait=sb ls-add sw1
ovn-nbctl --wait=sb ls-add join
ovn-nbctl --wait=sb ls-add public1
ovn-nbctl --wait=sb ls-add public2
ovn-nbctl --wait=sb lr-add lr0
ovn-nbctl --wait=sb lr-add gr1 -- set logical_router gr1 options:chassis=gw1
ovn-nbctl --wait=sb lr-add gr2 -- set logical_router gr2 options:chassis=gw2
ovn-nbctl lrp-add lr0 lr0-sw0 00:00:00:00:ff:01 10.0.0.1/24
ovn-nbctl lrp-add lr0 lr0-sw1 00:00:00:00:ff:02 10.0.1.1/24
ovn-nbctl lrp-add lr0 lr0-join 00:00:00:00:ff:03 100.64.0.1/16
for s in 0 1; do
  ovn-nbctl lsp-add sw$s sw$s-lr0 -- lsp-set-type sw$s-lr0 router -- lsp-set-addresses sw$s-lr0 router \
    -- lsp-set-options sw$s-lr0 router-port=lr0-sw$s
  ovn-nbctl lsp-add sw$s sw$s-p1 -- lsp-set-addresses sw$s-p1 "50:54:00:00:0$s:01 10.0.$s.11"
done
ovn-nbctl lsp-add join join-lr0 -- lsp-set-type join-lr0 router -- lsp-set-addresses join-lr0 router \
  -- lsp-set-options join-lr0 router-port=lr0-join
for g in 1 2; do
  ovn-nbctl lrp-add gr$g gr$g-join 00:00:00:00:f$g:01 100.64.0.$((g + 1))/16
  ovn-nbctl lrp-add gr$g gr$g-public 00:00:00:00:f$g:02 172.16.$g.2/24
  ovn-nbctl lsp-add join join-gr$g -- lsp-set-type join-gr$g router -- lsp-set-addresses join-gr$g router \
    -- lsp-set-options join-gr$g router-port=gr$g-join
  ovn-nbctl lsp-add public$g public$g-gr$g -- lsp-set-type public$g-gr$g router \
    -- lsp-set-addresses public$g-gr$g router -- lsp-set-options public$g-gr$g router-port=gr$g-public
  ovn-nbctl lsp-add public$g ln-public$g -- lsp-set-type ln-public$g localnet -- lsp-set-addresses ln-public$g unknown \
    -- lsp-set-options ln-public$g network_name=physnet1
  ovn-nbctl lr-nat-add gr$g snat 172.16.$g.100 10.0.$((g - 1)).0/24
  ovn-nbctl lr-route-add gr$g 10.0.$((g - 1)).0/24 100.64.0.1
  ovn-nbctl --policy=src-ip lr-route-add lr0 10.0.$((g - 1)).0/24 100.64.0.$((g + 1))
done
