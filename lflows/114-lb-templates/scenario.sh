# desc: template load balancers (options:template=true, Chassis_Template_Var per chassis) on gateway router gr0 and switch sw0: a ^vip:^vport VIP with template backends, a ^vip:port VIP with explicit backends, an empty template VIP with controller_event, and a UDP template LB through a group
ovn-sbctl chassis-add gw1 geneve 127.0.0.1
ovn-sbctl chassis-add hv1 geneve 127.0.0.2
ovn-sbctl set chassis gw1 other_config:ct-no-masked-label=true other_config:mac-binding-timestamp=true \
  other_config:port-up-notif=true
ovn-nbctl set nb_global . options:controller_event=true
ovn-nbctl --wait=sb ls-add sw0
ovn-nbctl --wait=sb ls-add public
ovn-nbctl --wait=sb lr-add gr0 -- set logical_router gr0 options:chassis=gw1
ovn-nbctl lrp-add gr0 gr0-sw0 00:00:00:00:fe:01 10.0.0.1/24
ovn-nbctl lrp-add gr0 gr0-public 00:00:00:00:fe:02 172.16.0.2/24
ovn-nbctl lsp-add sw0 sw0-gr0 -- lsp-set-type sw0-gr0 router -- lsp-set-addresses sw0-gr0 router \
  -- lsp-set-options sw0-gr0 router-port=gr0-sw0
ovn-nbctl lsp-add public public-gr0 -- lsp-set-type public-gr0 router -- lsp-set-addresses public-gr0 router \
  -- lsp-set-options public-gr0 router-port=gr0-public
ovn-nbctl lsp-add public ln-public -- lsp-set-type ln-public localnet -- lsp-set-addresses ln-public unknown \
  -- lsp-set-options ln-public network_name=physnet1
ovn-nbctl lsp-add sw0 sw0-p1 -- lsp-set-addresses sw0-p1 "50:54:00:00:00:01 10.0.0.11"
ovn-nbctl lsp-add sw0 sw0-p2 -- lsp-set-addresses sw0-p2 "50:54:00:00:00:02 10.0.0.12"
ovn-nbctl create chassis_template_var chassis=gw1 \
  'variables={vip="172.16.0.100",vport="8080",backends="10.0.0.11:80,10.0.0.12:80",dnsvip="172.16.0.101"}'
ovn-nbctl create chassis_template_var chassis=hv1 \
  'variables={vip="172.16.0.200",vport="8081",backends="10.0.0.12:80",dnsvip="172.16.0.201"}'
# Template VIP and port, template backends (NodePort-like).
ovn-nbctl create load_balancer name=lb-tmpl protocol=tcp options:template=true options:address-family=ipv4 \
  'vips={"^vip:^vport"="^backends"}'
# Template VIP, fixed port, explicit backends.
ovn-nbctl create load_balancer name=lb-tmpl2 protocol=tcp options:template=true options:address-family=ipv4 \
  'vips={"^vip:9000"="10.0.0.11:9000,10.0.0.12:9000"}'
# Template VIP without backends: empty_lb_backends event.
ovn-nbctl create load_balancer name=lb-tmpl-empty protocol=tcp options:template=true options:address-family=ipv4 \
  'vips={"^vip:7000"=""}'
# UDP template LB through a group.
ovn-nbctl create load_balancer name=lb-tmpl-udp protocol=udp options:template=true options:address-family=ipv4 \
  'vips={"^dnsvip:53"="10.0.0.11:53,10.0.0.12:53"}'
for lb in lb-tmpl lb-tmpl2 lb-tmpl-empty; do
  u=$(ovn-nbctl --bare --columns=_uuid find load_balancer name=$lb)
  ovn-nbctl add logical_router gr0 load_balancer "$u" -- add logical_switch sw0 load_balancer "$u"
done
ovn-nbctl create load_balancer_group name=tmplGroup
g=$(ovn-nbctl --bare --columns=_uuid find load_balancer_group name=tmplGroup)
u=$(ovn-nbctl --bare --columns=_uuid find load_balancer name=lb-tmpl-udp)
ovn-nbctl add load_balancer_group "$g" load_balancer "$u"
ovn-nbctl add logical_router gr0 load_balancer_group "$g" -- add logical_switch sw0 load_balancer_group "$g"
ovn-nbctl set logical_router gr0 options:lb_force_snat_ip=router_ip
