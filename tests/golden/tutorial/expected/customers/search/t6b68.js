C360.tokens("6b68",["khan",1,"khan",9]);
