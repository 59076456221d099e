# desc: ovn-kubernetes shared-gateway node topology for two nodes, without NAT/LB: ovn_cluster_router (rtos-node1/2, rtoj-ovn_cluster_router), join switch (jtor-*), node switches (stor-*, k8s-<node> management port, a pod), gateway routers GR_node1/2 (options:chassis, always_learn_from_arp_request=false, dynamic_neigh_routers=true) with rtoj-/rtoe- ports, ext_node1/2 switches with etor-* and breth0_* localnet ports; ovn-k routes (src-ip node subnet -> GR join IP, GR join IP host routes, cluster subnet via join, default via 172.18.0.1) and the 1004/102 policies; 5 switches
# ovn-k also sets other_config:exclude_ips=<management port IP> on node switches; left out: with the static k8s-<node> address it makes northd log a rate-limited "ipam|WARN|...: Duplicate IP set", so which switches appear in northd-warnings.txt would depend on the number of recomputes
ch1=3f9d2c4e-6a1b-4c8d-9e7f-000000000001
ch2=3f9d2c4e-6a1b-4c8d-9e7f-000000000002
ovn-sbctl chassis-add $ch1 geneve 172.18.0.3 -- set chassis $ch1 hostname=node1
ovn-sbctl chassis-add $ch2 geneve 172.18.0.4 -- set chassis $ch2 hostname=node2
for c in $ch1 $ch2; do
  ovn-sbctl set chassis $c other_config:ct-no-masked-label=true other_config:mac-binding-timestamp=true \
    other_config:port-up-notif=true
done
# cluster router and join switch (created by the ovnkube master at startup)
ovn-nbctl --wait=sb lr-add ovn_cluster_router -- set logical_router ovn_cluster_router external_ids:k8s-cluster-router=yes \
  external_ids:k8s-ovn-topo-version=5
ovn-nbctl --wait=sb ls-add join
ovn-nbctl lrp-add ovn_cluster_router rtoj-ovn_cluster_router 0a:58:64:40:00:01 100.64.0.1/16
ovn-nbctl lsp-add join jtor-ovn_cluster_router -- lsp-set-type jtor-ovn_cluster_router router \
  -- lsp-set-addresses jtor-ovn_cluster_router router -- lsp-set-options jtor-ovn_cluster_router router-port=rtoj-ovn_cluster_router
ovn-nbctl lr-policy-add ovn_cluster_router 102 "ip4.src == 10.244.0.0/16 && ip4.dst == 10.244.0.0/16" allow
ovn-nbctl lr-policy-add ovn_cluster_router 102 "ip4.src == 10.244.0.0/16 && ip4.dst == 100.64.0.0/16" allow
# per node: node switch, gateway router, external switch
i=0
for n in node1 node2; do
  i=$((i + 1)); ch=$(eval echo \$ch$i); s=$((i - 1)); j=$((i + 1)); h=$((i + 2))
  ovn-nbctl --wait=sb ls-add $n -- set logical_switch $n other_config:subnet=10.244.$s.0/24
  ovn-nbctl lrp-add ovn_cluster_router rtos-$n 0a:58:0a:f4:0$s:01 10.244.$s.1/24
  ovn-nbctl lsp-add $n stor-$n -- lsp-set-type stor-$n router -- lsp-set-addresses stor-$n router \
    -- lsp-set-options stor-$n router-port=rtos-$n
  ovn-nbctl lsp-add $n k8s-$n -- lsp-set-addresses k8s-$n "0a:58:0a:f4:0$s:02 10.244.$s.2"
  ovn-nbctl lsp-add $n default_pod-$n -- lsp-set-addresses default_pod-$n "0a:58:0a:f4:0$s:05 10.244.$s.5" \
    -- lsp-set-port-security default_pod-$n "0a:58:0a:f4:0$s:05 10.244.$s.5"
  ovn-nbctl --wait=sb lr-add GR_$n -- set logical_router GR_$n options:chassis=$ch \
    options:always_learn_from_arp_request=false options:dynamic_neigh_routers=true \
    external_ids:physical_ip=172.18.0.$h external_ids:physical_ips=172.18.0.$h
  ovn-nbctl lrp-add GR_$n rtoj-GR_$n 0a:58:64:40:00:0$j 100.64.0.$j/16
  ovn-nbctl lsp-add join jtor-GR_$n -- lsp-set-type jtor-GR_$n router -- lsp-set-addresses jtor-GR_$n router \
    -- lsp-set-options jtor-GR_$n router-port=rtoj-GR_$n
  ovn-nbctl --wait=sb ls-add ext_$n
  ovn-nbctl lrp-add GR_$n rtoe-GR_$n 02:42:ac:12:00:0$h 172.18.0.$h/16
  ovn-nbctl lsp-add ext_$n etor-GR_$n -- lsp-set-type etor-GR_$n router \
    -- lsp-set-addresses etor-GR_$n 02:42:ac:12:00:0$h -- lsp-set-options etor-GR_$n router-port=rtoe-GR_$n
  ovn-nbctl lsp-add ext_$n breth0_$n -- lsp-set-type breth0_$n localnet -- lsp-set-addresses breth0_$n unknown \
    -- lsp-set-options breth0_$n network_name=physnet
  ovn-nbctl lr-route-add GR_$n 10.244.0.0/16 100.64.0.1
  ovn-nbctl lr-route-add GR_$n 0.0.0.0/0 172.18.0.1 rtoe-GR_$n
  ovn-nbctl lr-route-add ovn_cluster_router 100.64.0.$j 100.64.0.$j
  ovn-nbctl --policy=src-ip lr-route-add ovn_cluster_router 10.244.$s.0/24 100.64.0.$j
  ovn-nbctl lr-policy-add ovn_cluster_router 1004 "inport == \"rtos-$n\" && ip4.dst == 172.18.0.$h /* $n */" \
    reroute 10.244.$s.2
  ovn-nbctl lr-policy-add ovn_cluster_router 101 "ip4.src == 10.244.0.0/16 && ip4.dst == 172.18.0.$h/32" allow
done
ovn-nbctl --wait=sb sync
for n in node1 node2; do
  ch=$ch1; [ $n = node2 ] && ch=$ch2
  ovn-sbctl lsp-bind k8s-$n $ch -- lsp-bind default_pod-$n $ch
  ovn-sbctl set port_binding k8s-$n up=true -- set port_binding default_pod-$n up=true
done
