# desc: IGMP/MLD snooping state as ovn-controller writes it: sw0 and sw1 with mcast_snoop, joined by lr0 with mcast_relay; SB IGMP_Group rows on hv1 and hv2: 239.1.1.1 on both chassis of sw0 (aggregated, incl. the relay router port, which is skipped) and on sw1, 239.2.2.2 with a mcast_flood port (skipped, flood_static clone), IPv6 ff0e::101 (relayed), link-local 224.0.0.251 and ff02::fb, an mrouters entry, an invalid address (warning); one group per transaction so multicast tunnel keys are reproducible
ovn-sbctl chassis-add hv1 geneve 127.0.0.1
ovn-sbctl chassis-add hv2 geneve 127.0.0.2
for c in hv1 hv2; do
  ovn-sbctl set chassis $c other_config:ct-no-masked-label=true other_config:mac-binding-timestamp=true \
    other_config:port-up-notif=true
done
ovn-nbctl ls-add sw0 -- set logical_switch sw0 other_config:mcast_snoop=true
ovn-nbctl ls-add sw1 -- set logical_switch sw1 other_config:mcast_snoop=true
ovn-nbctl lr-add lr0 -- set logical_router lr0 options:mcast_relay=true
ovn-nbctl lrp-add lr0 lr0-sw0 00:00:00:00:ff:01 10.0.0.1/24 fd00::1/64
ovn-nbctl lrp-add lr0 lr0-sw1 00:00:00:00:ff:02 10.0.1.1/24 fd00:0:0:1::1/64
ovn-nbctl lsp-add sw0 sw0-lr0 -- lsp-set-type sw0-lr0 router -- lsp-set-addresses sw0-lr0 router \
  -- lsp-set-options sw0-lr0 router-port=lr0-sw0
ovn-nbctl lsp-add sw1 sw1-lr0 -- lsp-set-type sw1-lr0 router -- lsp-set-addresses sw1-lr0 router \
  -- lsp-set-options sw1-lr0 router-port=lr0-sw1
for p in 1 2 3 4; do
  ovn-nbctl lsp-add sw0 sw0-p$p -- lsp-set-addresses sw0-p$p "50:54:00:00:00:0$p 10.0.0.1$p fd00::1$p"
done
ovn-nbctl lsp-set-options sw0-p4 mcast_flood=true
ovn-nbctl lsp-add sw1 sw1-p1 -- lsp-set-addresses sw1-p1 "50:54:00:00:01:01 10.0.1.11 fd00:0:0:1::11"
ovn-nbctl --wait=sb sync

# sw0-p1, sw0-p2 and sw1-p1 on hv1; sw0-p3 and sw0-p4 on hv2
for p in sw0-p1 sw0-p2 sw1-p1; do ovn-sbctl lsp-bind $p hv1 -- set port_binding $p up=true; done
for p in sw0-p3 sw0-p4; do ovn-sbctl lsp-bind $p hv2 -- set port_binding $p up=true; done
ovn-nbctl --wait=sb sync

dp() { ovn-sbctl --bare --columns=_uuid find datapath_binding external_ids:name="$1"; }
ch() { ovn-sbctl --bare --columns=_uuid find chassis name="$1"; }
pb() { ovn-sbctl --bare --columns=_uuid find port_binding logical_port="$1"; }
# igmp ADDRESS DATAPATH CHASSIS PORT...: one IGMP_Group row, then let northd settle
igmp() {
  local addr=$1 d=$2 c=$3 ports="" p
  shift 3
  for p in "$@"; do ports="$ports${ports:+,}$(pb "$p")"; done
  ovn-sbctl create igmp_group address="\"$addr\"" datapath="$(dp "$d")" chassis="$(ch "$c")" ports="$ports" >/dev/null
  ovn-nbctl --wait=sb sync
}
igmp 239.1.1.1 sw0 hv1 sw0-p1 sw0-p2 sw0-lr0
igmp 239.1.1.1 sw0 hv2 sw0-p3
igmp 239.1.1.1 sw1 hv1 sw1-p1
igmp 239.2.2.2 sw0 hv2 sw0-p3 sw0-p4
igmp ff0e::101 sw0 hv1 sw0-p1
igmp 224.0.0.251 sw0 hv1 sw0-p2
igmp ff02::fb sw0 hv2 sw0-p3
igmp mrouters sw0 hv2 sw0-p3
igmp not-an-ip sw0 hv1 sw0-p1
