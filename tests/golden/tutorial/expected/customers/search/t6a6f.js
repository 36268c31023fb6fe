C360.tokens("6a6f",["john",24,"john",25,"john.doe@gmail.com",26]);
