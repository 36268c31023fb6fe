C360.tokens("7261",["rajesh",7,"ravi",10]);
