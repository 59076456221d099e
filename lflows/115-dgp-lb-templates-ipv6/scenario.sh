# desc: IPv6 template load balancers on a router with a distributed gateway port (dual-stack), one with skip_snat and affinity-free, one with options:reject and an empty VIP, plus an IPv4 template LB with hairpin_snat_ip
ovn-sbctl chassis-add gw1 geneve 127.0.0.1
ovn-sbctl chassis-add hv1 geneve 127.0.0.2
ovn-nbctl set nb_global . options:controller_event=true
ovn-nbctl --wait=sb ls-add sw0
ovn-nbctl --wait=sb ls-add public
ovn-nbctl --wait=sb lr-add lr0
ovn-nbctl lrp-add lr0 lr0-sw0 00:00:00:00:ff:01 10.0.0.1/24 fd00::1/64
ovn-nbctl lrp-add lr0 lr0-public 00:00:00:00:ff:02 172.16.0.1/24 fd10::1/64
ovn-nbctl lrp-set-gateway-chassis lr0-public gw1 10
ovn-nbctl lsp-add sw0 sw0-lr0 -- lsp-set-type sw0-lr0 router -- lsp-set-addresses sw0-lr0 router \
  -- lsp-set-options sw0-lr0 router-port=lr0-sw0
ovn-nbctl lsp-add public public-lr0 -- lsp-set-type public-lr0 router -- lsp-set-addresses public-lr0 router \
  -- lsp-set-options public-lr0 router-port=lr0-public
ovn-nbctl lsp-add public ln-public -- lsp-set-type ln-public localnet -- lsp-set-addresses ln-public unknown \
  -- lsp-set-options ln-public network_name=physnet1
ovn-nbctl lsp-add sw0 sw0-p1 -- lsp-set-addresses sw0-p1 "50:54:00:00:00:01 10.0.0.11 fd00::11"
ovn-nbctl lsp-add sw0 sw0-p2 -- lsp-set-addresses sw0-p2 "50:54:00:00:00:02 10.0.0.12 fd00::12"
ovn-nbctl create chassis_template_var chassis=gw1 \
  'variables={vip6="fd10::100",vip4="172.16.0.100",port="8080",be6="[fd00::11]:80,[fd00::12]:80"}'
ovn-nbctl create chassis_template_var chassis=hv1 'variables={vip6="fd10::200",vip4="172.16.0.200",port="8081",be6="[fd00::12]:80"}'
ovn-nbctl create load_balancer name=lb6-tmpl protocol=tcp options:template=true options:address-family=ipv6 \
  options:skip_snat=true 'vips={"^vip6:^port"="^be6"}'
ovn-nbctl create load_balancer name=lb6-tmpl-reject protocol=tcp options:template=true options:address-family=ipv6 \
  options:reject=true 'vips={"^vip6:9000"="", "^vip6"="[fd00::11]:90"}'
ovn-nbctl create load_balancer name=lb4-tmpl protocol=udp options:template=true options:address-family=ipv4 \
  options:hairpin_snat_ip="169.254.0.5" 'vips={"^vip4:53"="10.0.0.11:53,10.0.0.12:53"}'
for lb in lb6-tmpl lb6-tmpl-reject lb4-tmpl; do
  u=$(ovn-nbctl --bare --columns=_uuid find load_balancer name=$lb)
  ovn-nbctl add logical_router lr0 load_balancer "$u" -- add logical_switch sw0 load_balancer "$u"
done
