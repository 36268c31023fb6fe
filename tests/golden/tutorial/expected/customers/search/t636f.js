C360.tokens("636f",["co",14,"com",0,"com",1,"com",2,"com",4,"com",5,"com",6,"com",7,"com",9,"com",10,"com",12]);
