C360.tokens("6a6f",["john",0,"john",1,"john.doe@gmail.com",2]);
