C360.tokens("676d",["gmail",0,"gmail",4,"gmail",20,"gmail",48]);
