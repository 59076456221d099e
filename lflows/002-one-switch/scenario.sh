# desc: one switch without ports
ovn-nbctl ls-add sw0
