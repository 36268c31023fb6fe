C360.tokens("7361",["san",2,"sara",1]);
