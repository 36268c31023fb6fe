C360.tokens("6e65",["neha",13,"new",0]);
