# desc: router-type port with an explicit MAC address (seed style) peering an IPv4 LRP
ovn-nbctl ls-add sw0
ovn-nbctl lsp-add sw0 sw0-p0 -- lsp-set-addresses sw0-p0 "00:00:00:00:00:11 192.168.1.11"
ovn-nbctl lsp-add sw0 sw0-p1 -- lsp-set-addresses sw0-p1 "00:00:00:00:00:12 192.168.1.12"
ovn-nbctl lr-add lr0
ovn-nbctl lrp-add lr0 lrp0 00:00:00:00:ff:01 192.168.1.254/24
ovn-nbctl lsp-add sw0 lrp0-attachment -- lsp-set-type lrp0-attachment router \
  -- lsp-set-addresses lrp0-attachment 00:00:00:00:ff:01 -- lsp-set-options lrp0-attachment router-port=lrp0
