C360.tokens("636f",["co",56,"com",0,"com",4,"com",8,"com",16,"com",20,"com",24,"com",28,"com",36,"com",40,"com",48]);
