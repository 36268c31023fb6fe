C360.tokens("6e65",["neha",53,"new",0]);
