# desc: route tables: lr0-sw0 in route_table rtb-a, lr0-sw1 in rtb-b, lr0-ext in the global table; default routes per table (v4 and v6), a table-specific prefix, a global route, a global route shadowing a table route
# LRPs and routes are created with fixed row UUIDs (increasing in creation order): 23.03 numbers route
# tables (reg7) in the order of the router's ports/static_routes sets, i.e. by row UUID.
n=0
nextid() { n=$((n + 1)); id=$(printf '00000000-0000-4000-8067-%012d' $n); }
lrp() { # lrp ROUTER NAME MAC NETWORK... [-- COLUMN=VALUE...]   (what lrp-add would create)
  local lr=$1 name=$2 mac=$3 nets="" cols=(); shift 3
  while [ $# -gt 0 ] && [ "$1" != -- ]; do nets="$nets${nets:+,}\"$1\""; shift; done
  [ $# -gt 0 ] && shift && cols=("$@")
  nextid
  ovn-nbctl --id=$id create logical_router_port name=$name mac="\"$mac\"" networks="[$nets]" "${cols[@]}" \
    -- add logical_router $lr ports $id >/dev/null
}
route() { # route ROUTER PREFIX NEXTHOP [COLUMN=VALUE...]   (what lr-route-add [--route-table=T] would create)
  local lr=$1 prefix=$2 nh=$3; shift 3; nextid
  ovn-nbctl --id=$id create logical_router_static_route ip_prefix="\"$prefix\"" nexthop="\"$nh\"" "$@" \
    -- add logical_router $lr static_routes $id >/dev/null
}
ovn-nbctl --wait=sb ls-add sw0
ovn-nbctl --wait=sb ls-add sw1
ovn-nbctl --wait=sb ls-add ext
ovn-nbctl --wait=sb lr-add lr0
lrp lr0 lr0-sw0 00:00:00:00:ff:01 10.0.0.1/24 fd00::1/64 -- options:route_table=rtb-a
lrp lr0 lr0-sw1 00:00:00:00:ff:02 10.0.1.1/24 -- options:route_table=rtb-b
lrp lr0 lr0-ext 00:00:00:00:ff:03 172.16.0.1/24 fd10::1/64
ovn-nbctl lsp-add sw0 sw0-lr0 -- lsp-set-type sw0-lr0 router -- lsp-set-addresses sw0-lr0 router \
  -- lsp-set-options sw0-lr0 router-port=lr0-sw0
ovn-nbctl lsp-add sw1 sw1-lr0 -- lsp-set-type sw1-lr0 router -- lsp-set-addresses sw1-lr0 router \
  -- lsp-set-options sw1-lr0 router-port=lr0-sw1
ovn-nbctl lsp-add ext ext-lr0 -- lsp-set-type ext-lr0 router -- lsp-set-addresses ext-lr0 router \
  -- lsp-set-options ext-lr0 router-port=lr0-ext
ovn-nbctl lsp-add sw0 sw0-p1 -- lsp-set-addresses sw0-p1 "50:54:00:00:00:01 10.0.0.11 fd00::11"
ovn-nbctl lsp-add sw1 sw1-p1 -- lsp-set-addresses sw1-p1 "50:54:00:00:01:01 10.0.1.11"
ovn-nbctl lsp-add ext ext-rtr1 -- lsp-set-addresses ext-rtr1 "50:54:00:00:10:01 172.16.0.254 fd10::254"
ovn-nbctl lsp-add ext ext-rtr2 -- lsp-set-addresses ext-rtr2 "50:54:00:00:10:02 172.16.0.253"
route lr0 0.0.0.0/0 172.16.0.254 route_table=rtb-a
route lr0 ::/0 fd10::254 route_table=rtb-a
route lr0 192.168.50.0/24 172.16.0.253 route_table=rtb-a
route lr0 0.0.0.0/0 172.16.0.253 route_table=rtb-b
route lr0 192.168.60.0/24 172.16.0.254 route_table=rtb-b
route lr0 192.168.100.0/24 172.16.0.254
route lr0 192.168.60.0/24 172.16.0.253
