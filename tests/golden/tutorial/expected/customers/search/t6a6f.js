C360.tokens("6a6f",["john",0]);
