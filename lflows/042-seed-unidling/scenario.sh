# desc: seed 000/002 (OVN unidling article): sw0/sw1/public + lr0, ln-public localnet, lb0 192.168.1.100:80 on sw0 idled to no backends, controller_event + event-elb meter
ovn-nbctl ls-add sw0
ovn-nbctl lsp-add sw0 sw0-p0 -- lsp-set-addresses sw0-p0 "00:00:00:00:00:11 192.168.1.11"
ovn-nbctl lsp-add sw0 sw0-p1 -- lsp-set-addresses sw0-p1 "00:00:00:00:00:12 192.168.1.12"
ovn-nbctl ls-add sw1
ovn-nbctl lsp-add sw1 sw1-p0 -- lsp-set-addresses sw1-p0 "00:00:00:00:00:33 192.168.2.11"
ovn-nbctl ls-add public
ovn-nbctl lsp-add public ln-public -- lsp-set-type ln-public localnet -- lsp-set-addresses ln-public unknown \
  -- lsp-set-options ln-public network_name=public
ovn-nbctl lr-add lr0
ovn-nbctl lrp-add lr0 lrp0 00:00:00:00:ff:01 192.168.1.254/24
ovn-nbctl lrp-add lr0 lrp1 00:00:00:00:ff:02 192.168.2.254/24
ovn-nbctl lrp-add lr0 lrp2 00:00:00:00:ff:03 192.168.3.254/24
ovn-nbctl lsp-add sw0 lrp0-attachment -- lsp-set-type lrp0-attachment router \
  -- lsp-set-addresses lrp0-attachment 00:00:00:00:ff:01 -- lsp-set-options lrp0-attachment router-port=lrp0
ovn-nbctl lsp-add sw1 lrp1-attachment -- lsp-set-type lrp1-attachment router \
  -- lsp-set-addresses lrp1-attachment 00:00:00:00:ff:02 -- lsp-set-options lrp1-attachment router-port=lrp1
ovn-nbctl lsp-add public lrp2-attachment -- lsp-set-type lrp2-attachment router \
  -- lsp-set-addresses lrp2-attachment 00:00:00:00:ff:03 -- lsp-set-options lrp2-attachment router-port=lrp2
ovn-nbctl --id=7381bdc2-cb26-40e9-93db-d7f733c8afbd create load_balancer name=lb0 protocol=tcp \
  vips:'"192.168.1.100:80"'='"192.168.1.11:80,192.168.1.12:80"'
ovn-nbctl --wait=sb ls-lb-add sw0 lb0
ovn-nbctl set NB_Global . options:controller_event=true
ovn-nbctl meter-add event-elb drop 10 pktps
# after an inactivity timeout the CMS removes the backends
ovn-nbctl set load_balancer lb0 vips:'"192.168.1.100:80"'='""'
