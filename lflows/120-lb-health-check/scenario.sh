# desc: LB health checks: lb1 (TCP, VIPs 10.0.0.100:80 with a Load_Balancer_Health_Check and 10.0.0.101:8080 without, a second check naming no VIP) with ip_port_mappings to sw0 ports (one disabled); lb2 (UDP) mapping backends to another switch's port, a missing port, a bad and a missing src IP, unmapped backends (one VIP left with none: drop); lb3 IPv6 check; lb4 SCTP check (warning); SB Service_Monitor status set by "ovn-controller": offline, online, error, none yet, and online on a port that is down (northd resets it to offline)
ovn-sbctl chassis-add hv1 geneve 127.0.0.1
ovn-sbctl set chassis hv1 other_config:ct-no-masked-label=true other_config:mac-binding-timestamp=true \
  other_config:port-up-notif=true
ovn-nbctl ls-add sw0
ovn-nbctl ls-add sw1
ovn-nbctl lsp-add sw0 sw0-p1 -- lsp-set-addresses sw0-p1 "50:54:00:00:00:01 10.0.0.11 fd00::11"
ovn-nbctl lsp-add sw0 sw0-p2 -- lsp-set-addresses sw0-p2 "50:54:00:00:00:02 10.0.0.12 fd00::12"
ovn-nbctl lsp-add sw0 sw0-p3 -- lsp-set-addresses sw0-p3 "50:54:00:00:00:03 10.0.0.13" \
  -- lsp-set-enabled sw0-p3 disabled
ovn-nbctl lsp-add sw1 sw1-p1 -- lsp-set-addresses sw1-p1 "50:54:00:00:01:01 10.0.1.11"

# lb1: TCP, two VIPs; only 10.0.0.100:80 is health-checked (10.0.0.199:80 matches no VIP)
ovn-nbctl lb-add lb1 10.0.0.100:80 10.0.0.11:80,10.0.0.12:80,10.0.0.13:80 tcp
ovn-nbctl lb-add lb1 10.0.0.101:8080 10.0.0.11:8080,10.0.0.12:8080 tcp
ovn-nbctl set load_balancer lb1 ip_port_mappings:10.0.0.11=sw0-p1:10.0.0.2 \
  ip_port_mappings:10.0.0.12=sw0-p2:10.0.0.2 ip_port_mappings:10.0.0.13=sw0-p3:10.0.0.2
ovn-nbctl -- --id=@hc create load_balancer_health_check vip="10.0.0.100\:80" \
  options:interval=5 options:timeout=20 options:success_count=3 options:failure_count=3 \
  -- add load_balancer lb1 health_check @hc
ovn-nbctl -- --id=@hc create load_balancer_health_check vip="10.0.0.199\:80" options:interval=7 \
  -- add load_balancer lb1 health_check @hc

# lb2: UDP; 10.0.0.12's monitor never gets a status (counts as up), 10.0.0.14 has no mapping, 10.0.1.11 is a port of sw1, 10.0.0.15 names a missing
# port, 10.0.0.16 a bad source IP, 10.0.0.17 no source IP at all; 10.0.0.201:53 only has the
# unmapped backend
ovn-nbctl lb-add lb2 10.0.0.200:53 10.0.0.11:53,10.0.0.12:53,10.0.0.14:53,10.0.1.11:53,10.0.0.15:53,10.0.0.16:53,10.0.0.17:53 udp
ovn-nbctl lb-add lb2 10.0.0.201:53 10.0.0.14:53 udp
ovn-nbctl set load_balancer lb2 ip_port_mappings:10.0.0.11=sw0-p1:10.0.0.3 ip_port_mappings:10.0.0.12=sw0-p2:10.0.0.3 \
  ip_port_mappings:10.0.1.11=sw1-p1:10.0.1.2 ip_port_mappings:10.0.0.15=nosuch:10.0.0.3 \
  ip_port_mappings:10.0.0.16=sw0-p2:10.0.0.300 ip_port_mappings:10.0.0.17=sw0-p2
ovn-nbctl -- --id=@hc create load_balancer_health_check vip="10.0.0.200\:53" \
  options:interval=10 options:timeout=30 options:success_count=2 options:failure_count=2 \
  -- add load_balancer lb2 health_check @hc
ovn-nbctl -- --id=@hc create load_balancer_health_check vip="10.0.0.201\:53" options:interval=10 \
  -- add load_balancer lb2 health_check @hc

# lb3: IPv6 VIP with a health check, one mapped backend
ovn-nbctl lb-add lb3 "[fd00::100]:80" "[fd00::11]:80,[fd00::12]:80" tcp
ovn-nbctl set load_balancer lb3 'ip_port_mappings:"[fd00::11]"="sw0-p1:[fd00::2]"'
ovn-nbctl -- --id=@hc create load_balancer_health_check vip='"[fd00::100]:80"' options:interval=5 \
  -- add load_balancer lb3 health_check @hc

# lb4: SCTP does not support health checks (northd warns and ignores it)
ovn-nbctl lb-add lb4 10.0.0.150:9000 10.0.0.11:9000,10.0.0.12:9000 sctp
ovn-nbctl set load_balancer lb4 ip_port_mappings:10.0.0.11=sw0-p1:10.0.0.2
ovn-nbctl -- --id=@hc create load_balancer_health_check vip="10.0.0.150\:9000" options:interval=5 \
  -- add load_balancer lb4 health_check @hc

ovn-nbctl ls-lb-add sw0 lb1 -- ls-lb-add sw0 lb2 -- ls-lb-add sw0 lb3 -- ls-lb-add sw0 lb4
ovn-nbctl --wait=sb sync

# sw0-p1 and sw0-p2 bound and up on hv1; sw1-p1 stays down
ovn-sbctl lsp-bind sw0-p1 hv1 -- lsp-bind sw0-p2 hv1
ovn-sbctl set port_binding sw0-p1 up=true -- set port_binding sw0-p2 up=true
ovn-nbctl --wait=sb sync

# as ovn-controller would report the probes
mon() { ovn-sbctl --bare --columns=_uuid find service_monitor ip="\"$1\"" port="$2" logical_port="$3"; }
m1=$(mon 10.0.0.11 80 sw0-p1); m2=$(mon 10.0.0.12 80 sw0-p2)
m3=$(mon 10.0.0.11 53 sw0-p1); m4=$(mon 10.0.1.11 53 sw1-p1)
m5=$(mon fd00::11 80 sw0-p1)
[ -n "$m1" ] && [ -n "$m2" ] && [ -n "$m3" ] && [ -n "$m4" ] && [ -n "$m5" ]
ovn-sbctl set service_monitor "$m1" status=offline
ovn-sbctl set service_monitor "$m2" status=online
ovn-sbctl set service_monitor "$m3" status=error
ovn-sbctl set service_monitor "$m4" status=online
ovn-sbctl set service_monitor "$m5" status=online
ovn-nbctl --wait=sb sync
