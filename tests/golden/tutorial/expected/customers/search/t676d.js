C360.tokens("676d",["gmail",0,"gmail",1,"gmail",5,"gmail",12]);
