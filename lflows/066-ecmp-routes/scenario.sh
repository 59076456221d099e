# desc: ECMP static routes on distributed router lr0 (IPv4 prefix with three nexthops, IPv6 prefix with two, a plain route beside them, and an --ecmp-symmetric-reply pair, which a distributed router treats as plain ECMP); gateway router gr0 (options:chassis=gw1) with --ecmp-symmetric-reply default routes (two nexthops) on an external switch with a localnet port
# Routes are created with fixed row UUIDs (increasing in creation order): 23.03 numbers ECMP groups and
# their members (reg8[0..15] / reg8[16..31]) in the order of the router's static_routes set, i.e. by row UUID.
n=0
route() { # route ROUTER PREFIX NEXTHOP [COLUMN=VALUE...]   (what lr-route-add --ecmp[-symmetric-reply] would create)
  local lr=$1 prefix=$2 nh=$3 id; shift 3; n=$((n + 1)); id=$(printf '00000000-0000-4000-8066-%012d' $n)
  ovn-nbctl --id=$id create logical_router_static_route ip_prefix="\"$prefix\"" nexthop="\"$nh\"" "$@" \
    -- add logical_router $lr static_routes $id >/dev/null
}
ovn-sbctl chassis-add gw1 geneve 10.255.0.1
ovn-sbctl set chassis gw1 other_config:ct-no-masked-label=true other_config:mac-binding-timestamp=true other_config:port-up-notif=true
ovn-nbctl --wait=sb ls-add sw0
ovn-nbctl --wait=sb ls-add ext0
ovn-nbctl --wait=sb ls-add sw1
ovn-nbctl --wait=sb ls-add ext1
ovn-nbctl --wait=sb lr-add lr0
ovn-nbctl --wait=sb lr-add gr0 -- set logical_router gr0 options:chassis=gw1
ovn-nbctl --wait=sb lrp-add lr0 lr0-sw0 00:00:00:00:ff:01 10.0.0.1/24 fd00::1/64
ovn-nbctl --wait=sb lrp-add lr0 lr0-ext0 00:00:00:00:ff:02 172.16.0.1/24 fd10::1/64
ovn-nbctl --wait=sb lsp-add sw0 sw0-lr0 -- lsp-set-type sw0-lr0 router -- lsp-set-addresses sw0-lr0 router \
  -- lsp-set-options sw0-lr0 router-port=lr0-sw0
ovn-nbctl --wait=sb lsp-add ext0 ext0-lr0 -- lsp-set-type ext0-lr0 router -- lsp-set-addresses ext0-lr0 router \
  -- lsp-set-options ext0-lr0 router-port=lr0-ext0
ovn-nbctl --wait=sb lsp-add sw0 sw0-p1 -- lsp-set-addresses sw0-p1 "50:54:00:00:00:01 10.0.0.11 fd00::11"
ovn-nbctl --wait=sb lsp-add ext0 ext0-rtr1 -- lsp-set-addresses ext0-rtr1 "50:54:00:00:10:01 172.16.0.251 fd10::251"
ovn-nbctl --wait=sb lsp-add ext0 ext0-rtr2 -- lsp-set-addresses ext0-rtr2 "50:54:00:00:10:02 172.16.0.252 fd10::252"
ovn-nbctl --wait=sb lsp-add ext0 ext0-rtr3 -- lsp-set-addresses ext0-rtr3 "50:54:00:00:10:03 172.16.0.253"
route lr0 192.168.10.0/24 172.16.0.251
route lr0 192.168.10.0/24 172.16.0.252
route lr0 192.168.10.0/24 172.16.0.253
route lr0 fd20::/64 fd10::251
route lr0 fd20::/64 fd10::252
route lr0 192.168.20.0/24 172.16.0.251
ovn-nbctl --wait=sb lrp-add gr0 gr0-sw1 00:00:00:00:fe:01 10.0.1.1/24
ovn-nbctl --wait=sb lrp-add gr0 gr0-ext1 00:00:00:00:fe:02 172.17.0.1/24
ovn-nbctl --wait=sb lsp-add sw1 sw1-gr0 -- lsp-set-type sw1-gr0 router -- lsp-set-addresses sw1-gr0 router \
  -- lsp-set-options sw1-gr0 router-port=gr0-sw1
ovn-nbctl --wait=sb lsp-add ext1 ext1-gr0 -- lsp-set-type ext1-gr0 router -- lsp-set-addresses ext1-gr0 router \
  -- lsp-set-options ext1-gr0 router-port=gr0-ext1
ovn-nbctl --wait=sb lsp-add ext1 ln-ext1 -- lsp-set-type ln-ext1 localnet -- lsp-set-addresses ln-ext1 unknown \
  -- lsp-set-options ln-ext1 network_name=physnet1
ovn-nbctl --wait=sb lsp-add sw1 sw1-p1 -- lsp-set-addresses sw1-p1 "50:54:00:00:01:01 10.0.1.11"
route gr0 0.0.0.0/0 172.17.0.251 options:ecmp_symmetric_reply=true
route gr0 0.0.0.0/0 172.17.0.252 options:ecmp_symmetric_reply=true
# --ecmp-symmetric-reply (options:ecmp_symmetric_reply=true) on the distributed router: accepted by ovn-nbctl, ignored by northd (plain ECMP, no lr_in_ecmp_stateful flows)
route lr0 192.168.30.0/24 172.16.0.251 options:ecmp_symmetric_reply=true
route lr0 192.168.30.0/24 172.16.0.252 options:ecmp_symmetric_reply=true
