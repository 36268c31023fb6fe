C360.tokens("6e65",["neha",33,"new",24]);
