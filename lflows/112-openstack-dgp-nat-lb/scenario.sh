# desc: an OpenStack (Neutron + Octavia OVN provider) style tenant router: lr0 with a distributed gateway port lr0-public 172.24.4.10/24 (gateway chassis gw1 2, gw2 1) on a localnet provider network (nat-addresses=router), tenant switches sw0 10.0.0.0/24 and sw1 10.0.1.0/24 with two VMs each (bound on hv1/hv2); snat of each tenant subnet to the gateway IP, two distributed floating IPs (dnat_and_snat with logical_port and external_mac), one centralised floating IP; an Octavia-style TCP LB 10.0.0.100:80 -> 10.0.0.12:80,10.0.1.12:80 on lr0, sw0 and sw1; default route via 172.24.4.1
for c in gw1:10.255.0.1 gw2:10.255.0.2 hv1:10.255.0.11 hv2:10.255.0.12; do
  ovn-sbctl chassis-add ${c%%:*} geneve ${c#*:}
  ovn-sbctl set chassis ${c%%:*} other_config:ct-no-masked-label=true other_config:mac-binding-timestamp=true \
    other_config:port-up-notif=true
done

# provider network and tenant networks
ovn-nbctl --wait=sb ls-add public
ovn-nbctl lsp-add public ln-public -- lsp-set-type ln-public localnet -- lsp-set-addresses ln-public unknown \
  -- lsp-set-options ln-public network_name=physnet1
ovn-nbctl --wait=sb ls-add sw0
ovn-nbctl --wait=sb ls-add sw1

# router with a distributed gateway port (Neutron schedules it on the gateway chassis by priority)
ovn-nbctl --wait=sb lr-add lr0
ovn-nbctl lrp-add lr0 lr0-public fa:16:3e:00:ff:01 172.24.4.10/24
ovn-nbctl lrp-set-gateway-chassis lr0-public gw1 2
ovn-nbctl lrp-set-gateway-chassis lr0-public gw2 1
ovn-nbctl lsp-add public public-lr0 -- lsp-set-type public-lr0 router -- lsp-set-addresses public-lr0 router \
  -- lsp-set-options public-lr0 router-port=lr0-public nat-addresses=router
ovn-nbctl lr-route-add lr0 0.0.0.0/0 172.24.4.1

# tenant subnets: router port, two VMs each
for s in 0 1; do
  ovn-nbctl lrp-add lr0 lr0-sw$s fa:16:3e:00:0$s:01 10.0.$s.1/24
  ovn-nbctl lsp-add sw$s sw$s-lr0 -- lsp-set-type sw$s-lr0 router -- lsp-set-addresses sw$s-lr0 router \
    -- lsp-set-options sw$s-lr0 router-port=lr0-sw$s
  for v in 1 2; do
    p=sw$s-vm$v
    ovn-nbctl lsp-add sw$s $p -- lsp-set-addresses $p "fa:16:3e:00:0$s:1$v 10.0.$s.1$v" \
      -- lsp-set-port-security $p "fa:16:3e:00:0$s:1$v 10.0.$s.1$v"
  done
  ovn-nbctl lr-nat-add lr0 snat 172.24.4.10 10.0.$s.0/24
done

# floating IPs: two distributed (logical_port + external_mac), one centralised
ovn-nbctl lr-nat-add lr0 dnat_and_snat 172.24.4.101 10.0.0.11 sw0-vm1 fa:16:3e:00:aa:01
ovn-nbctl lr-nat-add lr0 dnat_and_snat 172.24.4.102 10.0.1.11 sw1-vm1 fa:16:3e:00:aa:02
ovn-nbctl lr-nat-add lr0 dnat_and_snat 172.24.4.103 10.0.0.12

# Octavia OVN provider LB: VIP in a tenant subnet, attached to the router and every switch on it
ovn-nbctl lb-add octavia-lb0 10.0.0.100:80 10.0.0.12:80,10.0.1.12:80 tcp
ovn-nbctl lr-lb-add lr0 octavia-lb0
ovn-nbctl ls-lb-add sw0 octavia-lb0
ovn-nbctl ls-lb-add sw1 octavia-lb0

ovn-nbctl --wait=sb sync
for s in 0 1; do
  for v in 1 2; do
    ovn-sbctl lsp-bind sw$s-vm$v hv$v -- set port_binding sw$s-vm$v up=true
  done
done
