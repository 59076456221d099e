# desc: an ovn-kubernetes three-node cluster with services (shared gateway mode): ovn_cluster_router (rtos-node1..3 10.244.N.1/24, rtoj-ovn_cluster_router 100.64.0.1/16 on join), node switches node1..3 (stor-*, k8s-nodeN management port, two pods each), gateway routers GR_node1..3 (options:chassis=chassis-N, lb_force_snat_ip=router_ip, snat-ct-zone=0, always_learn_from_arp_request=false, dynamic_neigh_routers=true) with rtoj-GR_nodeN 100.64.0.(N+1)/16 and rtoe-GR_nodeN 172.18.0.(N+1)/16 on ext_nodeN (localnet physnet); GR routes 10.244.0.0/16 via 100.64.0.1 and default via 172.18.0.1, cluster-router src-ip routes; snat 10.244.0.0/16 -> node IP on each GR; clusterLBGroup (TCP 10.96.0.1:443, UDP 10.96.0.10:53) on every node switch and GR; a NodePort LB 172.18.0.(N+1):30080 per GR
# Chassis look like 23.03 ovn-controllers (ct_lb_mark etc.); pods and management ports are bound to their node's chassis.
for N in 1 2 3; do
  ovn-sbctl chassis-add chassis-$N geneve 172.18.0.$((N + 1)) -- set chassis chassis-$N hostname=node$N
  ovn-sbctl set chassis chassis-$N other_config:ct-no-masked-label=true other_config:mac-binding-timestamp=true \
    other_config:port-up-notif=true
done

# Cluster router and join switch (created by the ovnkube master at startup).
ovn-nbctl --wait=sb lr-add ovn_cluster_router -- set logical_router ovn_cluster_router external_ids:k8s-cluster-router=yes
ovn-nbctl --wait=sb ls-add join
ovn-nbctl lrp-add ovn_cluster_router rtoj-ovn_cluster_router 0a:58:64:40:00:01 100.64.0.1/16
ovn-nbctl lsp-add join jtor-ovn_cluster_router -- lsp-set-type jtor-ovn_cluster_router router \
  -- lsp-set-addresses jtor-ovn_cluster_router router -- lsp-set-options jtor-ovn_cluster_router router-port=rtoj-ovn_cluster_router

# Cluster-wide services in clusterLBGroup: kubernetes API (TCP) and cluster DNS (UDP).
ovn-nbctl lb-add Service_default/kubernetes_TCP_cluster 10.96.0.1:443 172.18.0.2:6443,172.18.0.3:6443 tcp
ovn-nbctl lb-add Service_kube-system/kube-dns_UDP_cluster 10.96.0.10:53 10.244.1.3:53,10.244.2.3:53 udp
lb_api=$(ovn-nbctl --bare --columns=_uuid find load_balancer name=Service_default/kubernetes_TCP_cluster)
lb_dns=$(ovn-nbctl --bare --columns=_uuid find load_balancer name=Service_kube-system/kube-dns_UDP_cluster)
ovn-nbctl create load_balancer_group name=clusterLBGroup
grp=$(ovn-nbctl --bare --columns=_uuid find load_balancer_group name=clusterLBGroup)
ovn-nbctl add load_balancer_group "$grp" load_balancer "$lb_api" -- add load_balancer_group "$grp" load_balancer "$lb_dns"

# Per node: node switch, gateway router, external switch, routes, NAT, NodePort LB.
for N in 1 2 3; do
  n=node$N gr=GR_node$N j=$((N + 1))
  # node switch with its router port, management port and two pods
  ovn-nbctl --wait=sb ls-add $n -- set logical_switch $n other_config:subnet=10.244.$N.0/24
  ovn-nbctl lrp-add ovn_cluster_router rtos-$n 0a:58:0a:f4:0$N:01 10.244.$N.1/24
  ovn-nbctl lsp-add $n stor-$n -- lsp-set-type stor-$n router -- lsp-set-addresses stor-$n router \
    -- lsp-set-options stor-$n router-port=rtos-$n
  ovn-nbctl lsp-add $n k8s-$n -- lsp-set-addresses k8s-$n "0a:58:0a:f4:0$N:02 10.244.$N.2"
  for M in 3 4; do
    p=default_pod$M-$n
    ovn-nbctl lsp-add $n $p -- lsp-set-addresses $p "0a:58:0a:f4:0$N:0$M 10.244.$N.$M" \
      -- lsp-set-port-security $p "0a:58:0a:f4:0$N:0$M 10.244.$N.$M"
  done
  ovn-nbctl add logical_switch $n load_balancer_group "$grp"

  # gateway router with its join and external ports
  ovn-nbctl --wait=sb lr-add $gr -- set logical_router $gr options:chassis=chassis-$N \
    options:lb_force_snat_ip=router_ip options:snat-ct-zone=0 \
    options:always_learn_from_arp_request=false options:dynamic_neigh_routers=true \
    external_ids:physical_ip=172.18.0.$j external_ids:physical_ips=172.18.0.$j
  ovn-nbctl lrp-add $gr rtoj-$gr 0a:58:64:40:00:0$j 100.64.0.$j/16
  ovn-nbctl lsp-add join jtor-$gr -- lsp-set-type jtor-$gr router -- lsp-set-addresses jtor-$gr router \
    -- lsp-set-options jtor-$gr router-port=rtoj-$gr
  ovn-nbctl --wait=sb ls-add ext_$n
  ovn-nbctl lrp-add $gr rtoe-$gr 02:42:ac:12:00:0$j 172.18.0.$j/16
  ovn-nbctl lsp-add ext_$n etor-$gr -- lsp-set-type etor-$gr router \
    -- lsp-set-addresses etor-$gr 02:42:ac:12:00:0$j -- lsp-set-options etor-$gr router-port=rtoe-$gr
  ovn-nbctl lsp-add ext_$n breth0_$n -- lsp-set-type breth0_$n localnet -- lsp-set-addresses breth0_$n unknown \
    -- lsp-set-options breth0_$n network_name=physnet
  ovn-nbctl add logical_router $gr load_balancer_group "$grp"

  # routes
  ovn-nbctl lr-route-add $gr 10.244.0.0/16 100.64.0.1
  ovn-nbctl lr-route-add $gr 0.0.0.0/0 172.18.0.1 rtoe-$gr
  ovn-nbctl --policy=src-ip lr-route-add ovn_cluster_router 10.244.$N.0/24 100.64.0.$j

  # SNAT of the whole cluster subnet to the node IP
  ovn-nbctl lr-nat-add $gr snat 172.18.0.$j 10.244.0.0/16

  # NodePort service on this node's IP, attached to this GR only (options:skip_snat unset)
  ovn-nbctl lb-add Service_default/web_TCP_node_router_$n 172.18.0.$j:30080 10.244.1.4:8080,10.244.3.4:8080 tcp
  ovn-nbctl lr-lb-add $gr Service_default/web_TCP_node_router_$n
done

ovn-nbctl --wait=sb sync
for N in 1 2 3; do
  n=node$N
  for p in k8s-$n default_pod3-$n default_pod4-$n; do
    ovn-sbctl lsp-bind $p chassis-$N -- set port_binding $p up=true
  done
done
